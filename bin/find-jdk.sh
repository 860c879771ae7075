# Sourced by bin/perceptron and bin/test: sets JAVA_HOME to a JDK >= $1 (default 21).
#   1. JAVA_HOME, if it is new enough;
#   2. otherwise the newest JDK under /usr/lib/jvm;
#   3. otherwise a clear error.

jdk_major() {  # prints the feature version of the JDK at $1, or nothing
    local release="$1/release"
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    if [ -f "$release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n1
    else
        "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1
    fi
}

find_jdk() {
    local need="${1:-21}" best="" best_major=0 dir major
    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(jdk_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge "$need" ]; then
            return 0
        fi
    fi
    for dir in /usr/lib/jvm/*; do
        [ -L "$dir" ] && continue
        major=$(jdk_major "$dir")
        if [ -n "$major" ] && [ "$major" -gt "$best_major" ]; then
            best="$dir"; best_major="$major"
        fi
    done
    if [ -n "$best" ] && [ "$best_major" -ge "$need" ]; then
        export JAVA_HOME="$best"
        return 0
    fi
    echo "perceptron: needs a JDK $need or newer (JDK 25 recommended, for the Vector API)." >&2
    echo "  JAVA_HOME=${JAVA_HOME:-<unset>}; newest under /usr/lib/jvm: ${best:-none} ${best_major:+(Java $best_major)}" >&2
    echo "  Install one (e.g. Temurin 25 into /usr/lib/jvm) or point JAVA_HOME at it." >&2
    return 1
}
