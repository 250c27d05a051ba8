#!/usr/bin/env bash
# The wrk load harness: the same JSON endpoint on embedded Jetty 12, bare and with Plimsoll, and in
# a Spring Boot app without and with the starter or Actuator, in alternating runs (bare, plimsoll,
# plimsoll-nolog, plimsoll-sampled, agent, spring, spring-plimsoll, spring-actuator, bare, ...) so
# drift hits every variant alike.
# Each run starts a fresh server on both cores and warms it up there (Jetty WARMUP, Spring
# SPRING_WARMUP seconds), so that the JIT compilers reach the plateau in time: on one core a Spring
# app with the starter is still getting faster after two minutes. Then every thread of the server
# is pinned to one core (taskset -a), wrk to the other, and after SETTLE seconds the run is
# measured for DURATION seconds. Every server runs the Serial GC, the collector a one-core
# container would get. Every server's standard output goes to a regular file, as a container
# runtime's log does (the JSON access log of the Plimsoll variants is written there; /dev/null would
# hide the cost of writing); the file is deleted after each run, its size per request kept. Ratios
# are against the bare Jetty run of the same round for the Jetty variants and against "spring" for
# the Spring ones. Prints the runs, then per variant its ratio in each round and their mean; the
# raw wrk output stays in benchmarks/target/load/. The CPU per request is the whole server's; of
# it, "log-wr us" is the log writer thread's (encoding and writing the access log) and "JIT us" the
# JIT compilers' (near 0 once warm: a larger figure means the run was not at its plateau).
#
#   benchmarks/load.sh     # 3 rounds, warm-up 30 s (Spring 60 s), 15 s measured, 32 connections
# (15 s of warm-up left a Jetty server with every feature on still compiling: 8,000 req/s after
# 15 s, 12,500 after 40 s on the same machine)
#   ROUNDS=3 WARMUP=30 DURATION=20 CONNECTIONS=64 VARIANTS="bare plimsoll" benchmarks/load.sh
#
# Needs wrk (Debian: apt-get install -y wrk), taskset and the JDK's jstat. Variant "agent" is the
# bare app under the OpenTelemetry Java agent with every exporter off; its jar is fetched from
# Maven Central once. "spring", "spring-plimsoll" and "spring-actuator" are SpringLoadApp on the
# module's class path without Plimsoll's jars or Actuator, with the starter, and with Spring Boot's
# Actuator and Prometheus registry (see spring-classpath.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/benchmarks/target/load"
AGENT_VERSION="${AGENT_VERSION:-2.33.1}"
AGENT="$ROOT/benchmarks/target/agent/opentelemetry-javaagent-$AGENT_VERSION.jar"
ROUNDS="${ROUNDS:-3}"
VARIANTS="${VARIANTS:-bare plimsoll plimsoll-nolog plimsoll-sampled agent spring spring-plimsoll spring-actuator}"
# shellcheck source=benchmarks/servers.sh
source "$ROOT/benchmarks/servers.sh"

require_load_tools
mkdir -p "$OUT"
build_benchmarks
if [[ " $VARIANTS " == *" agent "* && ! -f "$AGENT" ]]; then
  (cd "$ROOT" && ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:copy \
    -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$AGENT_VERSION" \
    -DoutputDirectory="$(dirname "$AGENT")")
fi

# Latency as wrk prints it (850.00us, 1.20ms, 2.00s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# CPU ticks (user + system) of each thread of a JVM: "tid|name|ticks" lines.
thread_ticks() {
  local task
  for task in /proc/"$1"/task/*; do
    awk -v tid="${task##*/}" -v name="$(cat "$task/comm" 2>/dev/null)" \
      '{ sub(/^.*\) /, ""); print tid "|" name "|" $12 + $13 }' "$task/stat" 2>/dev/null || true
  done
}

# Microseconds of CPU per request, between two thread_ticks readings, of the log writer
# (plimsoll-log-writer-*) and of the JIT compilers; prints "log jit".
thread_split() { # before after requests
  awk -F'|' -v n="$3" -v hz="$(getconf CLK_TCK)" '
    NR == FNR { before[$1] = $3; next }
    { d = $3 - before[$1]
      if ($2 ~ /^plimsoll-log-wr/) log_ += d; else if ($2 ~ /^C[12] CompilerThre/) jit += d }
    END { printf "%.2f %.2f", log_ / hz * 1e6 / n, jit / hz * 1e6 / n }' "$1" "$2"
}

# Young-generation figures of a JVM, by column name: "EC EU YGC" (KB, KB, count).
young_gen() {
  jstat -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { print $col["EC"], $col["EU"], $col["YGC"] }'
}

# Bytes allocated between two young_gen readings: the growth of eden plus one eden per young GC
# (what goes straight to the old generation is not counted; nothing here is that large).
allocated() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ")
    printf "%.0f", (y[2] - x[2] + (y[3] - x[3]) * y[1]) * 1024 }'
}

run() { # variant round
  local variant="$1" round="$2" java_args=()
  if [[ "$variant" == agent ]]; then
    java_args=("-javaagent:$AGENT" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none
               -Dotel.logs.exporter=none -Dotel.javaagent.logging=none)
  fi
  local stdout="$OUT/stdout-$variant-$round.log"
  start_server "$variant" "$stdout" "$OUT/server-$variant-$round.log" "${java_args[@]}"
  local pid="$SERVER_PID"
  local before after gen_before gen_after out_before out_after
  gen_before=$(young_gen "$pid")
  out_before=$(stat -c %s "$stdout")
  before=$(cpu_ticks "$pid")
  thread_ticks "$pid" >"$OUT/threads-before.txt"
  pin "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL" \
    >"$OUT/wrk-$variant-$round.txt"
  after=$(cpu_ticks "$pid")
  thread_ticks "$pid" >"$OUT/threads-after.txt"
  out_after=$(stat -c %s "$stdout")
  gen_after=$(young_gen "$pid")
  stop_server
  rm -f "$stdout"
  local f="$OUT/wrk-$variant-$round.txt" rps p50 p99 requests cpu_us alloc out
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")
  requests=$(awk '/requests in/ { print $1 }' "$f")
  cpu_us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  alloc=$(awk -v bytes="$(allocated "$gen_before" "$gen_after")" -v n="$requests" \
    'BEGIN { printf "%.0f", bytes / n }')
  out=$(awk -v bytes=$((out_after - out_before)) -v n="$requests" 'BEGIN { printf "%.0f", bytes / n }')
  split=$(thread_split "$OUT/threads-before.txt" "$OUT/threads-after.txt" "$requests")
  errors=$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' "$f")
  echo "$round $variant $rps $p50 $p99 $cpu_us $alloc $out $split $errors" >>"$OUT/results.txt"
}

: >"$OUT/results.txt"
echo "$(date -u +%FT%TZ) rounds=$ROUNDS warmup=${WARMUP}s spring-warmup=${SPRING_WARMUP}s settle=${SETTLE}s duration=${DURATION}s connections=$CONNECTIONS" \
  "server-cpu=$SERVER_CPU wrk-cpu=$WRK_CPU variants=[$VARIANTS]"
for round in $(seq 1 "$ROUNDS"); do
  for variant in $VARIANTS; do
    run "$variant" "$round"
  done
done

# Ratios against the base run of the same round ("bare" for the Jetty variants, "spring" for the
# Spring ones), then per variant the ratios of every round and their mean.
awk '
  { rps[$1, $2] = $3; p50[$1, $2] = $4; p99[$1, $2] = $5; cpu[$1, $2] = $6; alloc[$1, $2] = $7
    out[$1, $2] = $8; logw[$1, $2] = $9; jit[$1, $2] = $10
    if ($1 > maxr) maxr = $1
    if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
  END {
    printf "%-16s %5s %10s %8s %9s %9s %11s %10s %9s %9s %9s %9s\n", "variant", "round", "req/s", "vs base", "p50 ms", "p99 ms", "p99 vs base", "CPU us/req", "B/req", "out B/req", "log-wr us", "JIT us"
    for (i = 1; i <= n; i++) for (r = 1; r <= maxr; r++) {
      v = order[i]; base = (v ~ /^spring/) ? "spring" : "bare"; b = rps[r, base]
      if (b == "") { b = rps[r, v]; base = v }
      ratio[v, r] = rps[r, v] / b; p99ratio[v, r] = p99[r, v] / p99[r, base]
      printf "%-16s %5s %10.0f %7.1f%% %9.3f %9.3f %10.1f%% %10s %9s %9s %9s %9s\n", v, r, rps[r, v], 100 * ratio[v, r], p50[r, v], p99[r, v], 100 * p99ratio[v, r], cpu[r, v], alloc[r, v], out[r, v], logw[r, v], jit[r, v]
    }
    printf "\n%-16s %-28s %6s %14s\n", "variant", "throughput vs base, per round", "mean", "p99 vs base"
    for (i = 1; i <= n; i++) {
      v = order[i]; rounds = ""; sum = 0; psum = 0
      for (r = 1; r <= maxr; r++) {
        rounds = rounds (r > 1 ? " / " : "") sprintf("%.3f", ratio[v, r]); sum += ratio[v, r]; psum += p99ratio[v, r]
      }
      printf "%-16s %-28s %6.3f %13.2fx\n", v, rounds, sum / maxr, psum / maxr
    }
  }' "$OUT/results.txt" | tee "$OUT/summary.txt"
