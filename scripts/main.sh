#!/usr/bin/env bash
# Sets everything up and runs the main job on the embedded example cohort
# (or on the cohort directory given as the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m huisverbod "$@"
