#!/usr/bin/env bash
# Trains d2l's MLP (784-256-10, ReLU, SGD lr 0.1, batch 256) on Fashion-MNIST with perceptron and with PyTorch
# (Debian python3-torch, OpenBLAS with OpenMP), same data, same settings, same thread count, alternating the two
# so that both see the same machine, and prints both and the ratio.
#
#   bench/compare-pytorch.sh [--threads "1 2"] [--epochs 10] [--runs 3] [--data DIR]
#
# Needs: apt-get install python3-torch libopenblas0-openmp dataset-fashion-mnist. PyTorch is a benchmark peer only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
find_jdk 21 || exit 1

THREADS="1 2"; EPOCHS=10; RUNS=3; DATA=/usr/share/datasets/fashion-mnist
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) THREADS="$2"; shift 2;;
        --epochs) EPOCHS="$2"; shift 2;;
        --runs) RUNS="$2"; shift 2;;
        --data) DATA="$2"; shift 2;;
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

(cd "$ROOT" && mvn -B -q -pl bench -am package -DskipTests >/dev/null 2>&1) || { echo "compare-pytorch.sh: build failed (run: mvn -pl bench -am package)" >&2; exit 1; }
JAR="$ROOT/bench/target/benchmarks.jar"
OUT=$(mktemp -d)

for t in $THREADS; do
    for r in $(seq 1 "$RUNS"); do
        "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms64m --add-modules jdk.incubator.vector -cp "$JAR" \
            perceptron.bench.EndToEnd --epochs "$EPOCHS" --threads "$t" --data "$DATA" 2>/dev/null \
            | grep '^{' >> "$OUT/perceptron-$t.jsonl"
        # PyTorch's best setting: OpenBLAS with OpenMP, and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (for this
        # command only), so that OpenBLAS detects the CPU itself.
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH="$OPENBLAS_DIR" OMP_NUM_THREADS="$t" \
            "$PYTHON" "$ROOT/bench/pytorch_mlp.py" --json --epochs "$EPOCHS" --threads "$t" --data "$DATA" \
            >> "$OUT/pytorch-$t.jsonl"
    done
done

"$PYTHON" - "$OUT" $THREADS <<'PY'
import json, statistics, sys
out, threads = sys.argv[1], sys.argv[2:]
def load(name):
    return [json.loads(l) for l in open(f"{out}/{name}.jsonl") if l.strip()]
first = load(f"pytorch-{threads[0]}")[0]
print(f"PyTorch: {first['framework']}, BLAS loaded: {first['blas']}")
print(f"{'threads':>7} {'perceptron s/epoch':>19} {'PyTorch s/epoch':>16} {'PyTorch/perceptron':>19} "
      f"{'first epoch (p / pt)':>21} {'test acc (p / pt)':>18} {'peak RSS MB (p / pt)':>21} {'bytes/step':>10} {'predict us':>10}")
for t in threads:
    p, q = load(f"perceptron-{t}"), load(f"pytorch-{t}")
    med = lambda runs, k: statistics.median(r[k] for r in runs)
    pm, qm = med(p, "median_epoch_s"), med(q, "median_epoch_s")
    print(f"{t:>7} {pm:>19.3f} {qm:>16.3f} {qm / pm:>19.2f} "
          f"{med(p, 'first_epoch_s'):>10.2f} / {med(q, 'first_epoch_s'):<8.2f} "
          f"{med(p, 'test_acc'):>8.4f} / {med(q, 'test_acc'):<7.4f} "
          f"{med(p, 'peak_rss_mb'):>9.0f} / {med(q, 'peak_rss_mb'):<9.0f} "
          f"{med(p, 'bytes_per_step'):>10.0f} {med(p, 'predict_us'):>10.1f}")
print(f"(medians over {len(load('perceptron-' + threads[0]))} alternating runs of each; an epoch is 60,000 images)")
PY
rm -rf "$OUT"
