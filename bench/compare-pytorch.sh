#!/usr/bin/env bash
# Trains d2l's MLP (784-256-10, ReLU, SGD lr 0.1, batch 256) on Fashion-MNIST with perceptron and with two PyTorch
# peers, same data, same settings, same thread count, alternating all three so that they see the same machine,
# and prints medians and the ratio against the faster peer:
#   - PyTorch 1.13 from Debian (python3-torch) on OpenBLAS with OpenMP (libopenblas0-openmp);
#   - PyTorch 2.x with MKL and oneDNN from a virtualenv (TORCH2_PYTHON, default /work/venv/bin/python; skipped
#     with a note when it is missing).
# With --wall, each run also times `bin/perceptron train` from start to saved run against the PyTorch script from
# start to end (both train and evaluate every epoch; perceptron also writes its run directory and figures).
# With --baseline JAR, the EndToEnd of another build's benchmarks.jar (the code before a change) runs in the same
# alternation and is printed as "baseline", beside perceptron (this tree) and the peers.
#
#   bench/compare-pytorch.sh [--threads "1 2"] [--epochs 10] [--runs 3] [--data DIR] [--wall]
#                            [--java-opts "-XX:MaxVectorSize=32"] [--baseline OLD/benchmarks.jar]
#
# Needs: apt-get install python3-torch libopenblas0-openmp dataset-fashion-mnist. PyTorch is a benchmark peer only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
find_jdk 21 || exit 1

THREADS="1 2"; EPOCHS=10; RUNS=3; DATA=/usr/share/datasets/fashion-mnist; WALL=0; JAVA_OPTS=""; BASELINE=""
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) THREADS="$2"; shift 2;;
        --epochs) EPOCHS="$2"; shift 2;;
        --runs) RUNS="$2"; shift 2;;
        --data) DATA="$2"; shift 2;;
        --wall) WALL=1; shift;;
        --java-opts) JAVA_OPTS="$2"; shift 2;;
        --baseline) BASELINE="$2"; shift 2;;
        *) echo "compare-pytorch.sh: unknown option $1" >&2; exit 2;;
    esac
done

PYTHON=/usr/bin/python3     # Debian's interpreter, where python3-torch lives (not a pyenv python3 on PATH)
if ! "$PYTHON" -c "import torch" 2>/dev/null; then
    echo "compare-pytorch.sh: PyTorch is missing: apt-get install python3-torch libopenblas0-openmp" >&2; exit 1
fi
OPENBLAS_DIR=$(dirname "$(ls /usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas*.so* 2>/dev/null | head -n1)" 2>/dev/null || true)
if [ -z "$OPENBLAS_DIR" ] || [ "$OPENBLAS_DIR" = "." ]; then
    echo "compare-pytorch.sh: libopenblas0-openmp is missing; without it PyTorch runs on the reference BLAS" \
         "(about 7 GFLOP/s) and the comparison means nothing: apt-get install libopenblas0-openmp" >&2; exit 1
fi
TORCH2_PYTHON="${TORCH2_PYTHON:-/work/venv/bin/python}"
PEERS="pytorch1"
if [ -x "$TORCH2_PYTHON" ] && "$TORCH2_PYTHON" -c "import torch, sys; sys.exit(torch.__version__ < '2')" 2>/dev/null; then
    PEERS="pytorch1 pytorch2"
else
    echo "compare-pytorch.sh: no PyTorch 2.x at $TORCH2_PYTHON (set TORCH2_PYTHON); comparing with 1.13 only" >&2
fi

(cd "$ROOT" && mvn -B -q -pl bench,cli -am package -DskipTests >/dev/null 2>&1) || { echo "compare-pytorch.sh: build failed (run: mvn -pl bench,cli -am package)" >&2; exit 1; }
JAR="$ROOT/bench/target/benchmarks.jar"
# bin/perceptron records its start-up cache after a build (on JDK 25); do it now, so that no timed run pays for it.
[ "$WALL" = 0 ] || "$ROOT/bin/perceptron" --help >/dev/null 2>&1
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

now() { date +%s.%N; }
pytorch() {     # pytorch1|pytorch2 THREADS [--json]: one run of the PyTorch script
    local peer=$1 t=$2; shift 2
    if [ "$peer" = pytorch1 ]; then
        # PyTorch 1.13's best setting: OpenBLAS with OpenMP, and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (for
        # this command only), so that OpenBLAS detects the CPU itself.
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH="$OPENBLAS_DIR" OMP_NUM_THREADS="$t" \
            "$PYTHON" "$ROOT/bench/pytorch_mlp.py" --epochs "$EPOCHS" --threads "$t" --data "$DATA" "$@"
    else
        OMP_NUM_THREADS="$t" MKL_NUM_THREADS="$t" \
            "$TORCH2_PYTHON" "$ROOT/bench/pytorch_mlp.py" --epochs "$EPOCHS" --threads "$t" --data "$DATA" "$@"
    fi
}

if [ -n "$BASELINE" ] && [ ! -f "$BASELINE" ]; then
    echo "compare-pytorch.sh: --baseline $BASELINE: no such file (a benchmarks.jar built from the older tree)" >&2; exit 2
fi
endtoend() {    # JAR THREADS: one run of EndToEnd, its JSON line on stdout
    # shellcheck disable=SC2086
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms64m --add-modules jdk.incubator.vector $JAVA_OPTS -cp "$1" \
        perceptron.bench.EndToEnd --epochs "$EPOCHS" --threads "$2" --data "$DATA" 2>/dev/null | grep '^{'
}

for t in $THREADS; do
    for r in $(seq 1 "$RUNS"); do
        endtoend "$JAR" "$t" >> "$OUT/perceptron-$t.jsonl"
        if [ -n "$BASELINE" ]; then
            endtoend "$BASELINE" "$t" >> "$OUT/baseline-$t.jsonl"
        fi
        for peer in $PEERS; do
            pytorch "$peer" "$t" --json >> "$OUT/$peer-$t.jsonl"
        done
        if [ "$WALL" = 1 ]; then
            s=$(now)
            PERCEPTRON_JAVA_OPTS="$JAVA_OPTS" "$ROOT/bin/perceptron" train --epochs "$EPOCHS" --threads "$t" \
                --data "$DATA" --out "$OUT/run-$t-$r" >/dev/null 2>&1
            awk "BEGIN { print $(now) - $s }" >> "$OUT/wall-perceptron-$t"
            for peer in $PEERS; do
                s=$(now)
                pytorch "$peer" "$t" >/dev/null
                awk "BEGIN { print $(now) - $s }" >> "$OUT/wall-$peer-$t"
            done
        fi
    done
done

"$PYTHON" - "$OUT" "$WALL" "$PEERS" "${BASELINE:+baseline}" $THREADS <<'PY'
import json, os, statistics, sys
out, wall, peers, ours, threads = sys.argv[1], sys.argv[2] == "1", sys.argv[3].split(), ["perceptron"] + sys.argv[4].split(), sys.argv[5:]
def load(name):
    return [json.loads(l) for l in open(f"{out}/{name}.jsonl") if l.strip()]
med = lambda runs, k: statistics.median(r[k] for r in runs)
for peer in peers:
    first = load(f"{peer}-{threads[0]}")[0]
    print(f"{peer}: {first['framework']}, BLAS loaded: {first['blas']}")
names = ours + peers
print(f"{'threads':>7} " + " ".join(f"{n + ' s/epoch':>19}" for n in names) + f" {'faster peer / p':>16} "
      f"{'first epoch (' + ' / '.join(names) + ')':>34} {'peak RSS MB':>18} {'bytes/step':>10} {'predict us':>10}")
for t in threads:
    runs = {n: load(f"{n}-{t}") for n in names}
    epoch = {n: med(runs[n], "median_epoch_s") for n in names}
    fastest = min(epoch[n] for n in peers)
    firsts = " / ".join(f"{med(runs[n], 'first_epoch_s'):.2f}" for n in names)
    rss = " / ".join(f"{med(runs[n], 'peak_rss_mb'):.0f}" for n in names)
    print(f"{t:>7} " + " ".join(f"{epoch[n]:>19.3f}" for n in names) + f" {fastest / epoch['perceptron']:>16.2f} "
          f"{firsts:>34} {rss:>18} {med(runs['perceptron'], 'bytes_per_step'):>10.0f} "
          f"{med(runs['perceptron'], 'predict_us'):>10.1f}")
print(f"(medians over {len(load('perceptron-' + threads[0]))} alternating runs of each; an epoch is 60,000 images)")
print("CPU seconds per epoch (all threads of the process, spin-waiting included; a shared machine disturbs it less):")
for t in threads:
    cpu = {n: med(load(f"{n}-{t}"), "cpu_epoch_s") for n in names}
    print(f"{t:>7} threads: " + ", ".join(f"{n} {cpu[n]:.3f}" for n in names)
          + f"; faster peer / perceptron {min(cpu[n] for n in peers) / cpu['perceptron']:.2f}")
if wall:
    print("wall time from start to end (perceptron: bin/perceptron train, saved run; PyTorch: the script), medians:")
    for t in threads:
        w = {n: statistics.median(float(x) for x in open(f"{out}/wall-{n}-{t}")) for n in ["perceptron"] + peers}
        print(f"{t:>7} threads: " + ", ".join(f"{n} {w[n]:.2f} s" for n in names)
              + f"; faster peer / perceptron {min(w[n] for n in peers) / w['perceptron']:.2f}")
PY
