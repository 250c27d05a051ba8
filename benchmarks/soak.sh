#!/usr/bin/env bash
# The soak harness: the packaged example service (example-service/target/example-service.jar) for
# SOAK_SECONDS (600) under a mixed, paced load: known routes, unique unknown paths, a unique
# X-Request-ID on every request and a unique traceparent on every fourth, errors and slow requests
# from the demo knobs, a slow downstream (150 ms) called on every create and checked by readiness,
# readiness and liveness probes every second and a scrape every five seconds. After a warm-up
# (SOAK_WARMUP_SECONDS, 60) it samples every SOAK_SAMPLE_SECONDS (30): live heap after a full GC
# (jcmd GC.class_histogram), RSS, threads and file descriptors (/proc), the scrape's size and the
# log queue's drops (ops_logging_events_dropped_total). Prints each figure's growth from the first
# to the last quarter of the samples as a Markdown table for docs/reliability.md, and writes the
# samples to benchmarks/target/soak/soak-<epoch>.csv.
#
#   benchmarks/soak.sh                                   # 10 minutes, 150 requests/s
#   SOAK_SECONDS=3600 SOAK_RATE=300 benchmarks/soak.sh   # an hour at 300 requests/s
#
# Other settings: SOAK_ARGS (more arguments for the service, e.g.
# "--spring.web.resources.add-mappings=true" to see the path-scanner leak), SOAK_CLIENTS (8),
# SOAK_HEAP ("-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:SoftRefLRUPolicyMSPerMB=0": RSS shows what
# grows outside the fixed heap, and the heap after GC what is strongly held, not start-up caches
# the JVM clears minutes later), SKIP_BUILD=true to reuse the jars. Needs a JDK (jcmd) and Linux
# (/proc).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/example-service/target/example-service.jar"
if [[ "${SKIP_BUILD:-false}" != true || ! -f "$JAR" || ! -f "$ROOT/benchmarks/target/classpath.txt" ]]; then
  (cd "$ROOT" && ./mvnw -B -q -pl example-service,benchmarks -am package -DskipTests)
fi
export SOAK_JAR="$JAR"
export SOAK_OUT="${SOAK_OUT:-$ROOT/benchmarks/target/soak}"
CP="$ROOT/benchmarks/target/classes:$ROOT/ops-test-support/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
exec java -cp "$CP" dev.plimsoll.ops.benchmarks.soak.SoakDriver
