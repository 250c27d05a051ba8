# Sourced by load.sh and startup.sh: the class path of SpringLoadApp for a variant, from the
# module's build: "spring" (neither Plimsoll's jars nor Actuator), "spring-plimsoll" (the starter,
# no Actuator) or "spring-actuator" (Actuator and the Prometheus registry, no Plimsoll).
PLIMSOLL_JARS='/ops-(core|servlet|spring-boot-starter)-[^/]*\.jar$'
# What spring-boot-starter-actuator adds to a web app; Micrometer and the Prometheus client stay,
# as the starter brings them too (unused without either, as no auto-configuration reads them).
ACTUATOR_JARS='/(spring-boot-actuator|spring-boot-actuator-autoconfigure|spring-boot-health|spring-boot-micrometer-[a-z-]+|spring-boot-starter-actuator|spring-boot-starter-micrometer-metrics|micrometer-jakarta9)-[0-9][^/]*\.jar$'
spring_classpath() { # variant
  local cp
  cp="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
  case "$1" in
    spring) tr ':' '\n' <<<"$cp" | grep -Ev "$PLIMSOLL_JARS" | grep -Ev "$ACTUATOR_JARS" | paste -sd: ;;
    spring-plimsoll) tr ':' '\n' <<<"$cp" | grep -Ev "$ACTUATOR_JARS" | paste -sd: ;;
    spring-actuator) tr ':' '\n' <<<"$cp" | grep -Ev "$PLIMSOLL_JARS" | paste -sd: ;;
    *) echo "unknown Spring variant $1" >&2; return 1 ;;
  esac
}
