#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build/fuzz, ASan + UBSan) and runs each for a
# bounded time on a small generated seed corpus. Exits non-zero when a fuzzer finds a crash,
# a leak or undefined behaviour (the reproducer is left in build/fuzz/crash-*).
#   scripts/fuzz.sh            # 60 s per fuzzer
#   FUZZ_SECONDS=600 scripts/fuzz.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/build/fuzz"
SECONDS_PER_FUZZER=${FUZZ_SECONDS:-60}

if [ ! -f "$OUT/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$OUT" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRM_FUZZ=ON >/dev/null
fi
cmake --build "$OUT" --target csv_fuzz -j"$(nproc)"

# Seed corpus: the shapes of files the importer meets (written here as bytes).
SEEDS="$OUT/seeds/csv"
mkdir -p "$SEEDS" "$OUT/corpus/csv"
printf '客户名称,电话\r\n深圳市某某科技有限公司,13812345678\r\n' > "$SEEDS/utf8.csv"
printf '\xEF\xBB\xBFname,note,phone\r\n"A, Inc.","line1\r\nline2 ""q""",1\r\nB,,2\r\n' > "$SEEDS/utf8_bom_quotes.csv"
printf '\xBF\xCD\xBB\xA7\xC3\xFB\xB3\xC6,\xB5\xE7\xBB\xB0\r\n\xD5\xC5\xC8\xFD,\x95\x32\x82\x36\x80\r\n' > "$SEEDS/gbk.csv"
printf '\xFF\xFEa\x00\t\x00b\x00\r\x00\n\x00\x40\xD8\x00\xDC\t\x00,\x00' > "$SEEDS/utf16le.txt"
printf '\xFE\xFF\x00a\x00;\x00b\x00\n' > "$SEEDS/utf16be.txt"
printf 'a;b;c\r1;2\r3;4;5;6\r"open' > "$SEEDS/ragged_cr_unterminated.csv"
printf '=1+1,@x,-2,+3\n\t=cmd,x"y,"x"y\n' > "$SEEDS/formulas.csv"

status=0
# libFuzzer's progress lines go to a log; the end of it is shown when something was found.
"$OUT/csv_fuzz" -max_total_time="$SECONDS_PER_FUZZER" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$OUT/" "$OUT/corpus/csv" "$SEEDS" > "$OUT/csv_fuzz.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 60 "$OUT/csv_fuzz.log"
  echo "fuzz: csv_fuzz FAILED (exit $status; full log build/fuzz/csv_fuzz.log)"
  exit "$status"
fi
echo "fuzz: csv_fuzz passed ${SECONDS_PER_FUZZER}s"
