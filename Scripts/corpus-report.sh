#!/usr/bin/env bash
# Measures Inquest on the development set in ../shared/corpora (real archives kept outside this
# repository): sections recognised, timeline entries with the right time, false
# timeline/out-of-order errors, and lint diagnostics per document by rule, against the labels in
# Tests/Fixtures/corpus/. Skips cleanly when the corpora are absent (as in a user's clone).
#
#   Scripts/corpus-report.sh            # builds the tests if needed, prints the report
#   INQUEST_CORPORA=/path Scripts/corpus-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${INQUEST_CORPORA:-../shared/corpora}"
if [ ! -d "$corpora" ]; then
    echo "corpus-report: no development set at $corpora; skipping"
    exit 0
fi
export INQUEST_CORPORA="$(cd "$corpora" && pwd)"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
swift build --build-tests >/dev/null
INQUEST_CORPUS_REPORT="$report" swift test --skip-build --filter CorpusReportTests >/dev/null 2>&1 || status=$?
if [ ! -s "$report" ]; then
    echo "corpus-report: the measurement did not run; see: swift test --skip-build --filter CorpusReportTests" >&2
    exit 1
fi
cat "$report"
if [ "${status:-0}" -ne 0 ]; then
    echo "corpus-report: below the bar (>= 95% sections and times, no false out-of-order errors)" >&2
    exit 1
fi
