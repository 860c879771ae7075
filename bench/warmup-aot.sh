#!/usr/bin/env bash
# Does JDK 25's ahead-of-time cache (JEP 483/514/515) shorten perceptron's warm-up? Alternates `perceptron train`
# with and without -XX:AOTCache (the cache is recorded first, from a one-epoch training run, as bin/perceptron
# does after a build), and prints the medians of the first epoch, the steady epochs and the wall time.
#
#   bench/warmup-aot.sh [--runs 3] [--epochs 3] [--threads 2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
find_jdk 25 || { echo "warmup-aot.sh: needs JDK 25 (AOT cache)" >&2; exit 1; }
RUNS=3; EPOCHS=3; THREADS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2;;
        --epochs) EPOCHS="$2"; shift 2;;
        --threads) THREADS="$2"; shift 2;;
        *) echo "warmup-aot.sh: unknown option $1" >&2; exit 2;;
    esac
done
(cd "$ROOT" && mvn -B -q -pl cli -am package -DskipTests >/dev/null 2>&1) || { echo "warmup-aot.sh: build failed" >&2; exit 1; }
JAR="$ROOT/cli/target/perceptron-cli-0.1.0-SNAPSHOT.jar"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
FLAGS=(--add-modules jdk.incubator.vector -XX:+UseSerialGC -Xms64m -Xss4m)
"$JAVA_HOME/bin/java" "${FLAGS[@]}" -XX:AOTCacheOutput="$OUT/perceptron.aot" -Xlog:aot=off -Xlog:cds=off \
    -jar "$JAR" train --epochs 1 --threads "$THREADS" --out "$OUT/record" >/dev/null 2>&1
echo "AOT cache: $(du -h "$OUT/perceptron.aot" | cut -f1)"
for r in $(seq 1 "$RUNS"); do
    for mode in default aot; do
        extra=(); [ "$mode" = aot ] && extra=(-XX:AOTCache="$OUT/perceptron.aot")
        s=$(date +%s.%N)
        "$JAVA_HOME/bin/java" "${FLAGS[@]}" "${extra[@]}" -jar "$JAR" train --epochs "$EPOCHS" \
            --threads "$THREADS" --out "$OUT/run-$mode-$r" > "$OUT/log-$mode-$r" 2>/dev/null
        e=$(date +%s.%N)
        awk -v wall="$(awk "BEGIN { print $e - $s }")" '/^epoch 1\// { first = $NF == "s" ? $(NF-1) : $NF }
            /^epoch [0-9]+\// && !/^epoch 1\// { rest = rest " " $(NF-1) }
            END { print first, wall, rest }' "$OUT/log-$mode-$r" >> "$OUT/$mode"
    done
done
python3 - "$OUT" <<'PY'
import statistics, sys
out = sys.argv[1]
for mode in ("default", "aot"):
    rows = [l.split() for l in open(f"{out}/{mode}") if l.strip()]
    first = statistics.median(float(r[0]) for r in rows)
    wall = statistics.median(float(r[1]) for r in rows)
    steady = statistics.median(float(x) for r in rows for x in r[2:])
    print(f"{mode:>8}: first epoch {first:.2f} s, steady epoch {steady:.2f} s (first / steady {first / steady:.2f}), "
          f"wall {wall:.2f} s  ({len(rows)} runs)")
PY
