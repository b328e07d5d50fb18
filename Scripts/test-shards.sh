#!/usr/bin/env bash
# Runs the XCTest suite as two concurrent shards, one per core of the 2-core CI machine. (`swift test --parallel` starts one
# process per test on Linux, which costs more CPU than it saves here, and two `swift test` runs
# cannot share .build: SwiftPM locks it, so the test bundle is run directly.)
# Usage: Scripts/test-shards.sh   (after `swift build --build-tests`)
set -uo pipefail
cd "$(dirname "$0")/.."
bundle="$(swift build --show-bin-path)/InquestPackageTests.xctest"
if [ ! -x "$bundle" ] || [ -d "$bundle" ]; then
  # Not Linux's executable bundle (macOS runs bundles through xctest): one ordinary run.
  exec swift test --skip-build
fi
classes=$("$bundle" --list-tests | sed -n 's|^\([A-Za-z]*Tests\.[A-Za-z]*\)/.*|\1|p' | sort -u)
# Balanced by measured time (CPU seconds per class, and the second half waits more on the processes it starts):
# the site tests, most CLI tests and the core's cold-path oracles against the rest of the core,
# git and blameless tests plus the CLI tests that drive git itself.
split='^(InquestSiteTests\.|InquestCLITests\.|InquestCoreTests\.ColdPathOracleTests$)'
moved='^InquestCLITests\.(GitInteropTests|ReliabilityCLITests|GitDocsTests|HookCLITests|LanguageServerTests)$'
first=$(echo "$classes" | grep -E "$split" | grep -vE "$moved" | paste -sd, -)
second=$( (echo "$classes" | grep -vE "$split"; echo "$classes" | grep -E "$moved") | paste -sd, -)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
"$bundle" "$first" >"$logs/1" 2>&1 &
one=$!
"$bundle" "$second" >"$logs/2" 2>&1
two=$?
wait "$one"
one=$?
cat "$logs/1" "$logs/2"
for log in "$logs/1" "$logs/2"; do grep "Executed .* tests" "$log" | tail -n 1 | sed 's/^[[:space:]]*/shard: /'; done
exit $(( one != 0 || two != 0 ))
