#!/usr/bin/env bash
# Runs every benchmark in bench/ natively and as wasm under node, on the same data, and
# prints one table of the figures with the wasm/native ratio. The first run builds the
# benchmark data sets (cached in build/bench-data; minutes at 100k customers).
# bench_vault also writes its databases as backup files, and the same databases are then
# opened and edited in headless Chromium over IndexedDB (bench/browser): the "chromium" column.
#   scripts/bench.sh                 # everything
#   scripts/bench.sh bench_core      # only the named benchmarks
# bench_frames is the app itself in Chromium (bench/browser/frames.mjs): frame CPU time while
# scrolling and searching 100k customers, and frames drawn while idle.
# bench_sync_http is one full sync of 1,000 changes between two devices (wasm, under node)
# through serve.py, each remote call made by web/sync_remote.js (bench/sync_http/run.mjs).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimizer needs Debian's acorn (as in build.sh)
"$ROOT/scripts/setup.sh" >/dev/null || exit 1
"$ROOT/scripts/build.sh" native wasm >/dev/null || { echo "build failed"; exit 1; }
cmake --build build/wasm --target bench_browser bench_sync_http web >/dev/null || { echo "build failed"; exit 1; }

OUT="$ROOT/build/bench-results"
rm -rf "$OUT" && mkdir -p "$OUT"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for exe in build/native/bench_*; do [ -x "$exe" ] && names+=("$(basename "$exe")"); done
  names+=(bench_frames bench_sync_http)
fi
status=0
for name in "${names[@]}"; do
  if [ "$name" = bench_frames ]; then
    echo "running $name (Chromium, the app)" >&2
    node bench/browser/frames.mjs > "$OUT/$name.browser" || { echo "$name failed in Chromium" >&2; status=1; }
    continue
  fi
  if [ "$name" = bench_sync_http ]; then
    echo "running $name (wasm, node, through serve.py)" >&2
    node bench/sync_http/run.mjs > "$OUT/$name.wasm" || { echo "$name failed" >&2; status=1; }
    continue
  fi
  echo "running $name (native)" >&2
  args=()
  [ "$name" = bench_vault ] && mkdir -p build/bench-data/vault && args=(--backups build/bench-data/vault)
  build/native/"$name" "${args[@]}" > "$OUT/$name.native" || { echo "$name failed natively" >&2; status=1; }
  if [ -f "build/wasm/$name.js" ]; then
    echo "running $name (wasm, node)" >&2
    node --no-experimental-fetch "build/wasm/$name.js" > "$OUT/$name.wasm" || { echo "$name failed in wasm" >&2; status=1; }
  fi
  if [ "$name" = bench_vault ]; then
    echo "running $name (Chromium, IndexedDB)" >&2
    node bench/browser/run.mjs build/bench-data/vault > "$OUT/$name.browser" || { echo "$name failed in Chromium" >&2; status=1; }
  fi
done
python3 "$ROOT/scripts/bench_table.py" "$OUT"
exit $status
