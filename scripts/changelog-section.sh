#!/usr/bin/env bash
# Prints the body of one version's section of CHANGELOG.md (Keep a Changelog: "## [X.Y.Z] - date"),
# without its heading: the notes of the GitHub release that release.yml creates.
# Usage: scripts/changelog-section.sh VERSION [CHANGELOG]   (VERSION may be "Unreleased")
set -euo pipefail
version="${1:?usage: $0 VERSION [CHANGELOG]}"
changelog="${2:-$(dirname "$0")/../CHANGELOG.md}"

section="$(awk -v version="$version" '
  /^## \[/ { inside = index($0, "## [" version "]") == 1; next }
  /^\[[^]]+\]: / { next }
  inside { print }
' "$changelog" | sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}')"

if [ -z "$section" ]; then
  echo "$changelog has no section \"## [$version]\"" >&2
  exit 1
fi
printf '%s\n' "$section"
