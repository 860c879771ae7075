#!/usr/bin/env bash
# Does the warm-up (perceptron.train.JitWarmup) make the first epoch as fast as the others, and what does it do to the
# wall time? Alternates `bin/perceptron train` with and without --no-jit-warmup (and, with --pytorch, the PyTorch
# script bench/pytorch_mlp.py on PyTorch 1.13 + OpenBLAS and 2.x + MKL, as bench/compare-pytorch.sh runs them), and
# prints the medians of the first epoch, the steady epochs (the later ones) and the wall time from start to end
# (perceptron: to the saved run, evaluation, checkpoints and figures included). Before each run it waits (at most
# 2 minutes) for the 1-minute load average to fall below --quiet, and prints the load each run started at (the
# benchmark's own runs raise it).
#
#   bench/jit-warmup.sh [--runs 3] [--epochs 3] [--threads 2] [--quiet 1.2] [--no-build] [--pytorch]
#                       [--mode NAME "JAVA OPTIONS" "TRAIN OPTIONS"]...  (default: warm "" "" and cold "" --no-jit-warmup)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
find_jdk 21 || exit 1
RUNS=3; EPOCHS=3; THREADS=2; QUIET=1.2; BUILD=1; PYTORCH=0; NAMES=(); JOPTS=(); TOPTS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2;;
        --epochs) EPOCHS="$2"; shift 2;;
        --threads) THREADS="$2"; shift 2;;
        --quiet) QUIET="$2"; shift 2;;
        --no-build) BUILD=0; shift;;
        --pytorch) PYTORCH=1; shift;;
        --mode) NAMES+=("$2"); JOPTS+=("$3"); TOPTS+=("$4"); shift 4;;
        *) echo "jit-warmup.sh: unknown option $1" >&2; exit 2;;
    esac
done
if [ ${#NAMES[@]} -eq 0 ]; then
    NAMES=(warm cold); JOPTS=("" ""); TOPTS=("" "--no-jit-warmup")
fi
DATA=/usr/share/datasets/fashion-mnist
PEERS=()
if [ "$PYTORCH" = 1 ]; then
    /usr/bin/python3 -c "import torch" 2>/dev/null && PEERS+=(pytorch1)
    TORCH2_PYTHON="${TORCH2_PYTHON:-/work/venv/bin/python}"
    [ -x "$TORCH2_PYTHON" ] && "$TORCH2_PYTHON" -c "import torch" 2>/dev/null && PEERS+=(pytorch2)
fi
peer() {    # pytorch1|pytorch2: one run of the PyTorch script, as bench/compare-pytorch.sh runs it
    if [ "$1" = pytorch1 ]; then
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
            OMP_NUM_THREADS="$THREADS" /usr/bin/python3 "$ROOT/bench/pytorch_mlp.py" --epochs "$EPOCHS" \
            --threads "$THREADS" --data "$DATA"
    else
        OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS" "$TORCH2_PYTHON" "$ROOT/bench/pytorch_mlp.py" \
            --epochs "$EPOCHS" --threads "$THREADS" --data "$DATA"
    fi
}
[ "$BUILD" = 0 ] || (cd "$ROOT" && mvn -B -q -pl cli -am package -DskipTests >/dev/null 2>&1) || { echo "jit-warmup.sh: build failed" >&2; exit 1; }
"$ROOT/bin/perceptron" --help >/dev/null 2>&1    # records bin/perceptron's start-up cache now, not in a timed run
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
wait_quiet() {
    for _ in $(seq 1 24); do
        awk -v l="$(load)" -v q="$QUIET" 'BEGIN { exit !(l < q) }' && return
        sleep 5
    done
}
record() {  # NAME LOG START LOAD: first epoch, wall and the later epochs of one run
    awk -v wall="$(awk "BEGIN { print $(date +%s.%N) - $3 }")" -v load="$4" '/^epoch 1\// { first = $(NF-1) }
        /^epoch [0-9]+\// && !/^epoch 1\// { rest = rest " " $(NF-1) }
        END { print load, first, wall, rest }' "$2" >> "$OUT/$1"
}
for r in $(seq 1 "$RUNS"); do
    for i in "${!NAMES[@]}"; do
        wait_quiet; l=$(load); s=$(date +%s.%N)
        # shellcheck disable=SC2086
        PERCEPTRON_JAVA_OPTS="${JOPTS[$i]}" "$ROOT/bin/perceptron" train --epochs "$EPOCHS" --threads "$THREADS" \
            ${TOPTS[$i]} --out "$OUT/run-$i-$r" > "$OUT/log-$i-$r" 2>/dev/null
        record "${NAMES[$i]}" "$OUT/log-$i-$r" "$s" "$l"
    done
    for p in "${PEERS[@]}"; do
        wait_quiet; l=$(load); s=$(date +%s.%N)
        peer "$p" > "$OUT/log-$p-$r" 2>/dev/null
        record "$p" "$OUT/log-$p-$r" "$s" "$l"
    done
done
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
echo "perceptron train --epochs $EPOCHS --threads $THREADS; medians of $RUNS alternating runs"
python3 - "$OUT" "${NAMES[@]}" "${PEERS[@]}" <<'PY'
import statistics, sys
out = sys.argv[1]
for mode in sys.argv[2:]:
    rows = [l.split() for l in open(f"{out}/{mode}") if l.strip()]
    first = statistics.median(float(r[1]) for r in rows)
    wall = statistics.median(float(r[2]) for r in rows)
    steady = statistics.median(float(x) for r in rows for x in r[3:]) if any(r[3:] for r in rows) else float("nan")
    print(f"{mode:>10}: first epoch {first:.2f} s, steady epoch {steady:.2f} s (first / steady {first / steady:.2f}), "
          f"wall {wall:.2f} s; loads at start {' '.join(r[0] for r in rows)}")
PY
