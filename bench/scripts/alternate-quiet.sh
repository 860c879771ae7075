#!/bin/bash
# Alternates InferenceLatency between builds, each in its own JVM, and says how busy the machine was.
#   bench/scripts/alternate-quiet.sh ROUNDS LABEL=CORE_CLASSES[;JVM_FLAGS] ...
#   e.g. bench/scripts/alternate-quiet.sh 4 before=/tmp/old/classes after=core/target/classes
# Before each JVM it waits (up to 5 minutes) until the machine is at least 85% idle over 2 s, and after it prints
# how many cores other processes used during the run (busy ticks from /proc/stat minus the JVM's own CPU time),
# so that runs disturbed by other jobs can be told apart. Linux only; needs /usr/bin/time.
set -u
rounds=$1; shift
specs=("$@")
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
bench="${BENCH_CLASSES:-bench/target/classes}"
cpu_file=$(mktemp)
busy() { read -r _ u n s i w q sq st _ < /proc/stat; echo $((u+n+s+q+sq+st)); }
total() { read -r _ u n s i w q sq st _ < /proc/stat; echo $((u+n+s+i+w+q+sq+st)); }
idle() { local b1 t1; b1=$(busy); t1=$(total); sleep 2; echo $(( 100 - 100 * ($(busy) - b1) / ($(total) - t1) )); }
ticks=$(getconf CLK_TCK)
for r in $(seq 1 "$rounds"); do
  for spec in "${specs[@]}"; do
    label=${spec%%=*}; rest=${spec#*=}; cp=${rest%%;*}; flags=""; [ "$cp" != "$rest" ] && flags=${rest#*;}
    for try in $(seq 1 150); do id=$(idle); [ "$id" -ge 85 ] && break; done
    b1=$(busy); s1=$(date +%s.%N)
    # shellcheck disable=SC2086
    /usr/bin/time -f "%U %S" -o "$cpu_file" "$java" --add-modules jdk.incubator.vector -XX:+UseSerialGC $flags \
        -cp "$bench:$cp" perceptron.bench.InferenceLatency 2 2>&1 | grep -v WARNING | sed "s/^/$label /"
    b2=$(busy); s2=$(date +%s.%N)
    read -r us ss < "$cpu_file"
    others=$(python3 -c "print(round((($b2 - $b1) / $ticks - ($us + $ss)) / ($s2 - $s1), 2))")
    echo "# $label round $r: idle before ${id}%, other processes used $others cores during the run, $(date -u +%H:%M:%S)"
  done
done
rm -f "$cpu_file"
