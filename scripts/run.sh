#!/usr/bin/env bash
# One command: install every dependency, build the app, and serve it at http://127.0.0.1:8000
# (pass --port N or --host H to change; they go to serve.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/setup.sh"
echo "[run] building the app"
"$ROOT/scripts/build.sh" wasm
exec python3 "$ROOT/serve.py" "$@"
