#!/usr/bin/env bash
# Prints the version a build of this commit reports, the same rule as Plimsoll's BuildInfo: the
# root pom.xml's version, and for a -SNAPSHOT the first 12 characters of the commit appended
# (0.1.0-SNAPSHOT-3f2a9c1e4b7d), so that every build of main is a version of its own on the
# dashboards, the per-version alerts and the canary gates. image.yml tags and labels the image with
# it and passes it to the Dockerfile; deploy/ hands it on to the pods (app.kubernetes.io/version).
# A Docker tag and a Kubernetes label can both hold it (no '+', at most 63 characters).
# Usage: scripts/service-version.sh [REVISION]   (default: git rev-parse HEAD)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
revision="${1:-$(git -C "$root" rev-parse HEAD)}"
version="$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$root/pom.xml" | head -n 1)"
if [ -z "$version" ]; then
  echo "no <version> in $root/pom.xml" >&2
  exit 1
fi
case "$version" in
  *-SNAPSHOT)
    if ! [[ "$revision" =~ ^[0-9A-Za-z._]+$ ]]; then
      echo "revision '$revision' is not a plain commit id" >&2
      exit 1
    fi
    echo "$version-${revision:0:12}"
    ;;
  *) echo "$version" ;;
esac
