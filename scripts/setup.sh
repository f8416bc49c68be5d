#!/usr/bin/env bash
# Sets up a local virtual environment (.venv) with the package built from
# source in release mode. Idempotent: re-running only rebuilds what changed.
#   scripts/setup.sh          runtime dependencies only
#   scripts/setup.sh --test   plus the test and reference packages
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1; then PY=$cand; break; fi
  done
fi
[ -n "$PY" ] || { echo "setup: no python3 found" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
export PIP_DISABLE_PIP_VERSION_CHECK=1

pip install --quiet "maturin>=1.9.4,<2" "numpy>=1.24" "pandas>=2.0" "matplotlib>=3.7" "formulaic>=1.0"
if [ "${1:-}" = "--test" ]; then
  pip install --quiet "pytest>=7" "scipy>=1.11" "hypothesis>=6" "statsmodels>=0.14" "nbclient>=0.10" "nbformat>=5" "ipykernel>=6" "mpmath>=1.3" "lifelines>=0.27" "firthmodels>=0.8"
fi
maturin develop --release --quiet 2>&1 | grep -vE "^(📦|🔗|🐍|⚠️ +Warning: You|📖|🛠|✏️)" || true
python -c "import huisverbod" || { echo "setup: the package did not build" >&2; exit 1; }
