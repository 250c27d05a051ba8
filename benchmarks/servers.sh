# Sourced by load.sh and profile.sh: the settings they share and the load servers' life: start a
# variant's server, warm it up on both cores, pin it to one core and let it settle under wrk on the
# other, and stop it. Needs ROOT set.
JAR="$ROOT/benchmarks/target/benchmarks.jar"
WARMUP="${WARMUP:-30}"
SPRING_WARMUP="${SPRING_WARMUP:-60}"
SETTLE="${SETTLE:-5}"
DURATION="${DURATION:-15}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18080}"
SERVER_CPU="${SERVER_CPU:-0}"
WRK_CPU="${WRK_CPU:-1}"
URL="http://127.0.0.1:$PORT/api/orders/42"
HEAP="${HEAP:--Xms512m -Xmx512m -XX:+UseSerialGC}"

# shellcheck source=benchmarks/spring-classpath.sh
source "$ROOT/benchmarks/spring-classpath.sh"

# Fails unless the load tools are installed.
require_load_tools() {
  command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
  command -v taskset >/dev/null || { echo "taskset not found (util-linux)" >&2; exit 1; }
}

# Builds the benchmarks module unless SKIP_BUILD=true and its jar exists.
build_benchmarks() {
  if [[ "${SKIP_BUILD:-false}" != true || ! -f "$JAR" ]]; then
    (cd "$ROOT" && ./mvnw -B -q -pl benchmarks -am package -DskipTests)
  fi
}

pin() { taskset -c "$1" "${@:2}"; }

# Starts the server of a variant (standard output to a file, as a container runtime's log; "agent"
# is the bare server, the agent given in the extra JVM arguments), waits until it answers, warms it
# up on both cores, pins every thread to SERVER_CPU and lets it settle under wrk on WRK_CPU. Sets
# SERVER_PID.
start_server() { # variant stdout-file stderr-file [extra JVM arguments...]
  local variant="$1" stdout="$2" stderr="$3" cp="$JAR" main=dev.plimsoll.ops.benchmarks.LoadServer
  local app_args=("$variant" "$PORT") warmup="$WARMUP"
  shift 3
  case "$variant" in
    agent) app_args=(bare "$PORT") ;;
    spring|spring-plimsoll|spring-actuator)
      main=dev.plimsoll.ops.benchmarks.spring.SpringLoadApp warmup="$SPRING_WARMUP"
      cp="$(spring_classpath "$variant")"
      app_args=("--server.port=$PORT" --server.address=127.0.0.1 --spring.application.name=bench
                --ops.environment=bench --ops.health.disk.min-free-mb=0 --ops.shutdown.drain-delay=0s) ;;
  esac
  # shellcheck disable=SC2086
  java $HEAP "$@" -cp "$cp" "$main" "${app_args[@]}" >"$stdout" 2>"$stderr" &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$URL" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server $variant died; see $stderr" >&2; exit 1; }
    sleep 0.1
  done
  wrk -t1 -c"$CONNECTIONS" -d"${warmup}s" "$URL" >/dev/null
  taskset -a -p -c "$SERVER_CPU" "$SERVER_PID" >/dev/null
  pin "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"${SETTLE}s" "$URL" >/dev/null
}

# Stops the server started last and waits until its port no longer answers.
stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  while curl -fs -o /dev/null "$URL"; do sleep 0.1; done
}
