#!/usr/bin/env bash
# Does the warm-up (perceptron.train.JitWarmup) make the first epoch as fast as the others, and what does it do to the
# wall time? Alternates `perceptron train` (the CLI jar, bin/perceptron's JVM flags) with and without --no-jit-warmup,
# and prints the medians of the first epoch, the steady epochs (the later ones) and the wall time from start to
# saved run. Before each run it waits (at most 2 minutes) for the 1-minute load average to fall below --quiet, and
# prints the load each run started at (the benchmark's own runs raise it).
#
#   bench/jit-warmup.sh [--runs 3] [--epochs 3] [--threads 2] [--quiet 1.2] [--no-build]
#                   [--mode NAME "JAVA OPTIONS" "TRAIN OPTIONS"]...     (default: warm "" "" and cold "" --no-jit-warmup)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
find_jdk 21 || exit 1
RUNS=3; EPOCHS=3; THREADS=2; QUIET=1.2; BUILD=1; NAMES=(); JOPTS=(); TOPTS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2;;
        --epochs) EPOCHS="$2"; shift 2;;
        --threads) THREADS="$2"; shift 2;;
        --quiet) QUIET="$2"; shift 2;;
        --no-build) BUILD=0; shift;;
        --mode) NAMES+=("$2"); JOPTS+=("$3"); TOPTS+=("$4"); shift 4;;
        *) echo "jit-warmup.sh: unknown option $1" >&2; exit 2;;
    esac
done
if [ ${#NAMES[@]} -eq 0 ]; then
    NAMES=(warm cold); JOPTS=("" ""); TOPTS=("" "--no-jit-warmup")
fi
[ "$BUILD" = 0 ] || (cd "$ROOT" && mvn -B -q -pl cli -am package -DskipTests >/dev/null 2>&1) || { echo "jit-warmup.sh: build failed" >&2; exit 1; }
JAR="$ROOT/cli/target/perceptron-cli-0.1.0-SNAPSHOT.jar"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
for r in $(seq 1 "$RUNS"); do
    for i in "${!NAMES[@]}"; do
        for _ in $(seq 1 24); do
            awk -v l="$(load)" -v q="$QUIET" 'BEGIN { exit !(l < q) }' && break
            sleep 5
        done
        l=$(load)
        s=$(date +%s.%N)
        # shellcheck disable=SC2086
        "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xms64m -Xss4m ${JOPTS[$i]} \
            -jar "$JAR" train --epochs "$EPOCHS" --threads "$THREADS" ${TOPTS[$i]} --out "$OUT/run-$i-$r" \
            > "$OUT/log-$i-$r" 2>/dev/null
        e=$(date +%s.%N)
        awk -v wall="$(awk "BEGIN { print $e - $s }")" -v load="$l" '/^epoch 1\// { first = $(NF-1) }
            /^epoch [0-9]+\// && !/^epoch 1\// { rest = rest " " $(NF-1) }
            END { print load, first, wall, rest }' "$OUT/log-$i-$r" >> "$OUT/${NAMES[$i]}"
    done
done
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
echo "perceptron train --epochs $EPOCHS --threads $THREADS; medians of $RUNS alternating runs"
python3 - "$OUT" "${NAMES[@]}" <<'PY'
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
