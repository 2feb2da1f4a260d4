#!/usr/bin/env bash
# Builds what is asked: `native` (tests, benchmarks) and/or `wasm` (the app in build/web and
# the core tests for node). Incremental: a second run with no change takes seconds.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimizer needs Debian's acorn
JOBS=$(nproc)
for what in "$@"; do
  case "$what" in
    native)
      [ -f "$ROOT/build/native/CMakeCache.txt" ] || cmake -S "$ROOT" -B "$ROOT/build/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build "$ROOT/build/native" -j"$JOBS" ;;
    wasm)
      [ -f "$ROOT/build/wasm/CMakeCache.txt" ] || emcmake cmake -S "$ROOT" -B "$ROOT/build/wasm" -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build "$ROOT/build/wasm" -j"$JOBS" ;;
    *) echo "build.sh: unknown target $what (native, wasm)" >&2; exit 2 ;;
  esac
done
