#!/usr/bin/env bash
# The profiling harness: where a load-harness server's CPU goes, by thread and by owner. One
# variant of load.sh (same servers, same warm-up on both cores, then the server pinned to one core
# and wrk to the other) is profiled with async-profiler (CPU samples of every thread, kernel frames
# included) for DURATION seconds under wrk, and the samples are split into:
#   - "filter": request-thread samples inside Plimsoll's filter but not in the chain it calls (the
#     span, the metrics, the IDs, the MDC, the access-log event), or for spring-actuator the same
#     for Spring's ServerHttpObservationFilter, Actuator's per-request observation;
#   - "log writer": the thread that encodes and writes the access log, and the kernel's part of it
#     (frames marked _[k]: the write(2) into standard output's file);
#   - "span export": OpenTelemetry's batch span processor thread;
#   - the rest (the server, the application, the JIT, the GC, the kernel's network stack).
# The profiler costs throughput of its own (about a quarter on this workload), so read shares, not
# rates; load.sh gives the rates. The collapsed stacks stay in benchmarks/target/profile/ for a
# flame graph or a closer look.
#
#   benchmarks/profile.sh                              # variant "plimsoll"
#   VARIANTS="plimsoll spring-plimsoll spring-actuator" benchmarks/profile.sh
#
# async-profiler's jar for linux-x64 is fetched from Maven Central once (tools.profiler:
# async-profiler); it is a measuring tool like wrk, never a dependency of the library.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/benchmarks/target/profile"
PROFILER_VERSION="${PROFILER_VERSION:-4.2}"
PROFILER_DIR="$ROOT/benchmarks/target/async-profiler"
PROFILER="$PROFILER_DIR/linux-x64/libasyncProfiler.so"
VARIANTS="${VARIANTS:-plimsoll}"
# shellcheck source=benchmarks/servers.sh
source "$ROOT/benchmarks/servers.sh"

require_load_tools
mkdir -p "$OUT"
build_benchmarks
if [[ ! -f "$PROFILER" ]]; then
  (cd "$ROOT" && ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:unpack \
    -Dartifact="tools.profiler:async-profiler:$PROFILER_VERSION:jar:linux-x64" \
    -DoutputDirectory="$PROFILER_DIR")
fi

# Tells the profiler in JVM $1 to do $2; jcmd splits its arguments on '=' unless they are quoted.
profiler() { jcmd "$1" JVMTI.agent_load "$PROFILER" "\"$2\"" >/dev/null; }

# Shares of the samples in collapsed stacks (first frame the thread, as async-profiler's "threads"
# option writes it).
shares() { # collapsed-file
  awk '
    function owner(frames, n,    i, j) {
      for (i = 2; i <= n; i++) {
        if (frames[i] ~ /^(dev\/plimsoll\/ops\/servlet\/PlimsollFilter\.doFilter|org\/springframework\/web\/filter\/ServerHttpObservationFilter\.doFilterInternal)$/) {
          for (j = i + 1; j <= n; j++) if (frames[j] ~ /FilterChain\.doFilter$|ServletHandler\$ChainEnd\.doFilter$/) return "other"
          return "filter"
        }
      }
      return "other"
    }
    { n = split($0, frames, ";"); count = frames[n]; sub(/^.* /, "", count); sub(/ [0-9]+$/, "", frames[n])
      total += count
      if (frames[1] ~ /^\[plimsoll-log-writer/) {
        writer += count; if (frames[n] ~ /_\[k\]$/) writerKernel += count
      } else if (frames[1] ~ /^\[BatchSpanProcessor/) {
        export += count
      } else if (owner(frames, n) == "filter") {
        filter += count
      }
    }
    END {
      if (total == 0) { print "no samples"; exit 1 }
      printf "samples %d: filter %.1f%%, log writer %.1f%% (kernel %.1f%%), span export %.1f%%, rest %.1f%%\n",
        total, 100 * filter / total, 100 * writer / total, 100 * writerKernel / total,
        100 * export / total, 100 * (total - filter - writer - export) / total
    }' "$1"
}

profile() { # variant
  local variant="$1" stdout="$OUT/stdout-$variant.log" stacks="$OUT/$variant.collapsed"
  start_server "$variant" "$stdout" "$OUT/server-$variant.log"
  profiler "$SERVER_PID" "start,event=cpu,interval=1ms,threads"
  pin "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$URL" >"$OUT/wrk-$variant.txt"
  profiler "$SERVER_PID" "stop,file=$stacks,collapsed"
  stop_server
  rm -f "$stdout"
  printf '%-16s %8s req/s  %s\n' "$variant" "$(awk '/^Requests\/sec:/ { print $2 }' "$OUT/wrk-$variant.txt")" \
    "$(shares "$stacks")"
}

echo "$(date -u +%FT%TZ) warmup=${WARMUP}s spring-warmup=${SPRING_WARMUP}s settle=${SETTLE}s duration=${DURATION}s" \
  "connections=$CONNECTIONS async-profiler=$PROFILER_VERSION variants=[$VARIANTS]"
for variant in $VARIANTS; do
  profile "$variant"
done | tee "$OUT/summary.txt"
