#!/usr/bin/env bash
# Sets everything up and runs the main job: writes report.html from the
# embedded cohort (pass --data DIR for your own cohort, --lang nl for Dutch).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m huisverbod report "$@"
