#!/usr/bin/env bash
# The minimum-dependencies build: every runtime dependency at the floor pyproject.toml
# declares (">=X" installed as "==X"), then the smoke tests (every module imports, every
# estimator fits and predicts, two labs through the command line). CI runs it after the
# main suite, so every floor in pyproject.toml is a version the code really works with.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-floors
.venv-floors/bin/pip install -q --upgrade pip
pins=$(python3 - <<'PY'
import re, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
for dep in deps:
    name, floor = re.fullmatch(r"\s*([A-Za-z0-9_.\[\]-]+)\s*>=\s*([0-9][^,;\s]*)\s*", dep).groups()
    print(f"{name}=={floor}")
PY
)
echo "floors: $(echo $pins)"
# pytest and the oracles the smoke test imports are not runtime dependencies: latest.
.venv-floors/bin/pip install -q $pins pytest
.venv-floors/bin/pip install -q --no-deps -e .
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec .venv-floors/bin/python -m pytest -q -p no:cacheprovider tests/test_smoke.py "$@"
