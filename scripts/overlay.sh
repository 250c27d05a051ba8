#!/usr/bin/env bash
# Prints what an environment's overlay (example-service/deploy/overlays/ENVIRONMENT) says: its
# image (repository:tag, the one `kustomize edit set image` wrote), its tag (the version the pods
# report) or its namespace. Read by promote.yml, release-validation.yml and await-rollout.sh.
# Usage: scripts/overlay.sh ENVIRONMENT image|tag|namespace
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -ne 2 ]; then
  echo "usage: $0 ENVIRONMENT image|tag|namespace" >&2
  exit 2
fi
environment="$1"
kustomization="$root/example-service/deploy/overlays/$environment/kustomization.yaml"
if ! [[ "$environment" =~ ^[a-z0-9-]+$ ]] || [ ! -f "$kustomization" ]; then
  echo "no overlay '$environment' in example-service/deploy/overlays" >&2
  exit 1
fi
# The entry of the image named example-service under images: (kustomize writes it on three lines).
field() {
  awk -v key="$1" '
    /^images:/ { in_images = 1; next }
    in_images && /^[^ -]/ { in_images = 0 }
    in_images && /^ *- name: / { current = $3 }
    in_images && current == "example-service" && $1 == key ":" { print $2; exit }
  ' "$kustomization"
}
value=""
case "$2" in
  image) name="$(field newName)"; tag="$(field newTag)"; [ -n "$name" ] && [ -n "$tag" ] && value="$name:$tag" ;;
  tag) value="$(field newTag)" ;;
  namespace) value="$(sed -n 's/^namespace: *//p' "$kustomization")" ;;
  *) echo "usage: $0 ENVIRONMENT image|tag|namespace" >&2; exit 2 ;;
esac
if [ -z "$value" ]; then
  echo "overlays/$environment/kustomization.yaml names no $2 for example-service" >&2
  exit 1
fi
echo "$value"
