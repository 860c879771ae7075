#!/usr/bin/env bash
# Benchmarks of perceptron on Spark (the SparkBench class in spark/src/test/java/perceptron/spark).
#   bench/spark-bench.sh exchange [MASTER] [PARTITIONS] [STEPS]   per-step cost of moving one gradient and back
#   bench/spark-bench.sh epoch [MASTER] [PARTITIONS]              an epoch through Spark vs one JVM
#   bench/spark-bench.sh mllib [MASTER] [PARTITIONS] [ITERATIONS]  MultilayerPerceptronClassifier: time, accuracy, memory
#   bench/spark-bench.sh perceptron [MASTER] [PARTITIONS] [EPOCHS] [TARGET]  PerceptronClassifier: same, and when
#                                                                 the test accuracy first reached TARGET
# MASTER may be spark://... of bin/spark-cluster.
# Prints ratios measured in the same run; results go in bench/RESULTS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/find-jdk.sh"
find_jdk 21 || exit 1
cd "$ROOT"
CP_FILE="$(mktemp)"
# One reactor build: compiles core and spark, then writes spark's test classpath (the last module wins the file).
mvn -B -q -pl spark -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CP_FILE" >&2
CP="spark/target/test-classes:spark/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
OPENS=$(sed -n '/<spark.jvm.args>/,/<\/spark.jvm.args>/p' spark/pom.xml | sed 's/<[^>]*>//g' | tr '\n' ' ')
# BENCH_JAVA_OPTS: extra JVM options, e.g. a JFR recording.
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector $OPENS -Xmx6g ${BENCH_JAVA_OPTS:-} -cp "$CP" \
    perceptron.spark.SparkBench "$@" 2> >(grep -v 'WARNING: Using incubator' >&2)
