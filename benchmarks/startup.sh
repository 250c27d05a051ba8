#!/usr/bin/env bash
# The startup harness: SpringLoadApp without and with the Plimsoll starter, started alternately
# (spring, spring-plimsoll, spring, ...) RUNS times each. Each run reports the JVM's uptime when
# Spring publishes ApplicationReadyEvent (the app prints ready-ms=N); the table gives the median,
# minimum and maximum per variant and the difference of the medians. About 1 minute.
#
#   benchmarks/startup.sh
#   RUNS=21 CPUS=0 benchmarks/startup.sh     # more runs, both variants pinned to CPU 0
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/benchmarks/target/startup"
RUNS="${RUNS:-11}"
CPUS="${CPUS:-0,1}"
HEAP="${HEAP:--Xms512m -Xmx512m}"

mkdir -p "$OUT"
if [[ "${SKIP_BUILD:-false}" != true || ! -f "$ROOT/benchmarks/target/classpath.txt" ]]; then
  (cd "$ROOT" && ./mvnw -B -q -pl benchmarks -am package -DskipTests)
fi
# shellcheck source=benchmarks/spring-classpath.sh
source "$ROOT/benchmarks/spring-classpath.sh"

start_once() { # variant run
  local variant="$1" run="$2" cp log="$OUT/$1-$2.log"
  cp="$(spring_classpath "$variant")"
  # shellcheck disable=SC2086
  taskset -c "$CPUS" java $HEAP -cp "$cp" dev.plimsoll.ops.benchmarks.spring.SpringLoadApp \
    --server.port=0 --server.address=127.0.0.1 --spring.application.name=bench \
    --ops.environment=bench --ops.shutdown.drain-delay=0s >/dev/null 2>"$log" &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q '^ready-ms=' "$log" && break
    kill -0 "$pid" 2>/dev/null || { echo "$variant died; see $log" >&2; exit 1; }
    sleep 0.05
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$variant $(sed -n 's/^ready-ms=//p' "$log")" >>"$OUT/results.txt"
}

: >"$OUT/results.txt"
echo "$(date -u +%FT%TZ) runs=$RUNS cpus=$CPUS $(java -version 2>&1 | head -1)"
for run in $(seq 1 "$RUNS"); do
  start_once spring "$run"
  start_once spring-plimsoll "$run"
done

sort -k1,1 -k2,2n "$OUT/results.txt" | awk '
  { v[$1, ++n[$1]] = $2 }
  END {
    printf "%-16s %5s %10s %8s %8s\n", "variant", "runs", "median ms", "min ms", "max ms"
    for (name in n) {
      k = n[name]; med[name] = (k % 2) ? v[name, (k + 1) / 2] : (v[name, k / 2] + v[name, k / 2 + 1]) / 2
      printf "%-16s %5d %10.0f %8d %8d\n", name, k, med[name], v[name, 1], v[name, k]
    }
    printf "starter adds %.0f ms to the median startup\n", med["spring-plimsoll"] - med["spring"]
  }' | tee "$OUT/summary.txt"
