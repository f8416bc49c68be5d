#!/usr/bin/env bash
# Sets everything up and runs all tests: Rust (unit, integration, doc) and Python.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "== cargo test"
cargo test --quiet
echo "== pytest"
.venv/bin/python -m pytest -q "$@"
