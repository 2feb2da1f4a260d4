#!/usr/bin/env bash
# One command: install what is needed, build, and run every test:
#   1. native unit tests (doctest, via ctest)
#   2. the same core tests compiled to wasm, run under node
#   3. serve.py tests (Python unittest), its sync API included
#   4. sync transports (web/sync_remote.js) against serve.py, Apache WebDAV, a fault proxy,
#      and OPFS in Chromium (node --test)
#   5. browser end-to-end tests (playwright-core driving Debian's Chromium, headless)
#   6. the CSV reader under libFuzzer (clang, ASan + UBSan) for a bounded time (FUZZ_SECONDS, 60)
# Screenshots land in build/artifacts/screenshots. Ends with "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
"$ROOT/scripts/setup.sh" || exit 1
"$ROOT/scripts/build.sh" native wasm || { echo "build failed"; exit 1; }

passed=0; failed=0
suite() {  # suite <name> <command...>
  local name=$1; shift
  echo; echo "=== $name"
  if "$@"; then passed=$((passed+1)); echo "=== $name: passed"; else failed=$((failed+1)); echo "=== $name: FAILED"; fi
}
suite "native unit tests" ctest --test-dir build/native --output-on-failure
suite "core tests as wasm (node)" node --no-experimental-fetch build/wasm/crm_tests.js
suite "serve.py tests" python3 -m unittest discover -s tests/serve
suite "sync transport tests" node --test --test-concurrency=1 tests/transport/
suite "browser end-to-end tests" node --test --test-concurrency=1 tests/e2e/
suite "fuzzing the CSV reader" bash scripts/fuzz.sh
echo
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
