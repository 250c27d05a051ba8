#!/usr/bin/env bash
# Refuses a release tag that does not match the build: the tag must be vX.Y.Z, the root pom.xml and
# ops-bom/pom.xml must both say X.Y.Z (no -SNAPSHOT), and CHANGELOG.md must have a section for it.
# Usage: scripts/release-check.sh TAG   (release.yml passes the pushed tag)
set -euo pipefail
tag="${1:?usage: $0 TAG}"
root="$(cd "$(dirname "$0")/.." && pwd)"

# The project's own <version>: the first one at two spaces of indentation, after any <parent>.
pom_version() {
  sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$1" | head -n 1
}

version="${tag#v}"
if [ "$tag" = "$version" ] || ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "tag $tag is not vX.Y.Z" >&2
  exit 1
fi
for pom in pom.xml ops-bom/pom.xml; do
  found="$(pom_version "$root/$pom")"
  if [ "$found" != "$version" ]; then
    echo "$pom has version $found, the tag $tag wants $version" >&2
    exit 1
  fi
done
"$root/scripts/changelog-section.sh" "$version" "$root/CHANGELOG.md" >/dev/null
echo "release $version: tag, poms and changelog agree"
