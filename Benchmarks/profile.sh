#!/bin/sh
# Profiles the release `inquest lint` (or another subcommand) with callgrind on a generated archive.
#
#   Benchmarks/profile.sh [N] [SUBCOMMAND ARGS...]     default: 1000 lint --strict
#
# Writes WORK/callgrind.out (WORK=/tmp/inquest-bench by default) and prints the inclusive and
# exclusive top functions (Swift names demangled). Installs valgrind and binutils when missing.
set -eu
N=${1:-1000}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- lint --strict --no-color
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/inquest-bench}
missing=""
command -v valgrind >/dev/null || missing="$missing valgrind"
command -v objcopy >/dev/null || missing="$missing binutils"
if [ -n "$missing" ]; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq $missing
fi
mkdir -p "$WORK"
(cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-bench --product inquest >"$WORK/build.log" 2>&1) || { tail -40 "$WORK/build.log"; exit 1; }
# Valgrind 3.19 cannot read the DWARF 5 units clang emits for the C targets (Yams' CYaml) and
# gives up on the whole binary; a copy without debug sections keeps the symbol table, so
# functions are still named (file names follow from the module and type: see Benchmarks/README.md).
objcopy --strip-debug "$ROOT/.build-bench/release/inquest" "$WORK/inquest-nodebug"
BIN="$WORK/inquest-nodebug"
python3 "$ROOT/Benchmarks/generate.py" --count "$N" --out "$WORK/profile-$N"
cd "$WORK/profile-$N"
valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" "$BIN" "$@" >/dev/null 2>"$WORK/valgrind.log" || true
DEMANGLE="swift demangle --simplified"
echo "== exclusive (self) cost =="
callgrind_annotate --threshold=95 "$WORK/callgrind.out" | $DEMANGLE | sed -n 1,60p
echo "== inclusive cost =="
callgrind_annotate --inclusive=yes --threshold=99 "$WORK/callgrind.out" | $DEMANGLE | sed -n 1,80p
