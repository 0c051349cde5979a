#!/usr/bin/env bash
# Every benchmark, one after another, in one run on one machine state: the README's tables
# are retaken from the log this writes (benchmarks/results/<date>.log). Run it on a quiet
# machine (nothing else busy: the scripts time mlhood and its peers alternately, but two
# threads each on two cores leave no room for a third job).
#   bash benchmarks/run_all.sh            # the full run (about half an hour on 2 cores)
#   bash benchmarks/run_all.sh --quick    # every script's smoke size
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
quick=("$@")
mkdir -p benchmarks/results
log="benchmarks/results/$(date -u +%Y-%m-%dT%H%M).log"
{
  echo "# mlhood benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
  echo "# $(uname -m), $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  $py -c "import numpy, sklearn, mlhood; print('# numpy', numpy.__version__, 'scikit-learn', sklearn.__version__, 'mlhood', mlhood.__version__)"
  for script in bench_linear bench_trees bench_nn bench_data bench_outliers; do
    echo; echo "## $script ${quick[*]:-}"
    $py "benchmarks/$script.py" "${quick[@]}"
  done
  echo; echo "## bench_search --quick"; $py benchmarks/bench_search.py --quick
  echo; echo "## bench_search --parallel-only"; $py benchmarks/bench_search.py --parallel-only
  echo; echo "## bench_explorer --moves 20"; $py benchmarks/bench_explorer.py --moves 20
  echo; echo "## load_explorer --clients 20 --seconds 60"
  $py benchmarks/load_explorer.py --clients 20 --seconds 60
  echo; echo "## bench_practice"; $py benchmarks/bench_practice.py
  echo; echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$log"
echo "written: $log"
