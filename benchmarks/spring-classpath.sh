# Sourced by load.sh and startup.sh: the class path of SpringLoadApp for a variant, "spring"
# (without Plimsoll's jars) or "spring-plimsoll" (with the starter), from the module's build.
spring_classpath() { # variant
  local cp
  cp="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
  if [[ "$1" == spring ]]; then
    tr ':' '\n' <<<"$cp" | grep -Ev '/ops-(core|servlet|spring-boot-starter)-[^/]*\.jar$' | paste -sd:
  else
    echo "$cp"
  fi
}
