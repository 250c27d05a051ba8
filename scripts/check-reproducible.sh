#!/usr/bin/env bash
# Builds the published modules twice from clean and compares the sha256 of every jar they publish
# (main, sources, javadoc): a reproducible build gives the same bytes, whoever builds it and when.
# Published modules are those of the root pom.xml that do not set maven.deploy.skip.
# Usage: scripts/check-reproducible.sh   (Maven options, such as -Dmaven.repo.local=..., in MAVEN_ARGS)
set -euo pipefail
cd "$(dirname "$0")/.."

published=()
for module in $(sed -n 's|^ *<module>\(.*\)</module>$|\1|p' pom.xml); do
  if ! grep -q '<maven.deploy.skip>true</maven.deploy.skip>' "$module/pom.xml"; then
    published+=("$module")
  fi
done
modules="$(IFS=,; echo "${published[*]}")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

for run in 1 2; do
  echo "build $run of 2: $modules"
  ./mvnw -B -q clean package -DskipTests -Dspotless.check.skip=true -pl "$modules" -am
  mkdir -p "$out/$run"
  for module in "${published[@]}"; do
    for file in "$module"/target/*.jar; do
      [ -e "$file" ] && cp "$file" "$out/$run/"
    done
  done
  (cd "$out/$run" && sha256sum -- *.jar > ../sums-$run)
done

if diff "$out/sums-1" "$out/sums-2"; then
  echo "reproducible: $(wc -l < "$out/sums-1") jars identical across two builds"
  cat "$out/sums-1"
else
  echo "NOT reproducible: the jars above differ between the two builds" >&2
  exit 1
fi
