#!/usr/bin/env bash
# Install what the tests need and run the whole test suite (the README's second command).
#  1. a virtual environment in .venv with mlhood and its dev and dist extras;
#  2. Debian's chromium and chromium-driver for the browser test of the report
#     (installed with apt-get when missing and this shell may; otherwise it says how);
#  3. pytest on two workers, one BLAS thread each (two workers on two cores; more threads
#     than cores make small BLAS calls inside L-BFGS many times slower).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e ".[dev,dist]"
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium and chromium-driver for the browser test..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "The browser test needs chromium and chromedriver: sudo apt-get install chromium chromium-driver" >&2
  fi
fi
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec .venv/bin/python -m pytest -q -n 2 "$@"
