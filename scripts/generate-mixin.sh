#!/usr/bin/env bash
# Writes the files the monitoring mixin (mixin/) generates: alerts/*.yaml,
# alerts/kubernetes/prometheus-rule.yaml and dashboards/*.json.
#
#   scripts/generate-mixin.sh                      # the default settings, into the repository
#   scripts/generate-mixin.sh OUT_DIR [FILE.jsonnet]
#
# FILE.jsonnet (default mixin/generate.jsonnet) evaluates to {path: text}; mixin/examples/ has one
# for a fleet. MixinTest runs this and fails when the committed files differ from what it writes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root}"
source="${2:-$root/mixin/generate.jsonnet}"

if ! command -v jsonnet >/dev/null; then
  echo "jsonnet is not installed (Debian: apt-get install jsonnet)" >&2
  exit 2
fi

# jsonnet -m does not create directories; make those of every path first.
jsonnet -J "$root/mixin" -S -e "std.join('\n', std.objectFields(import '$source'))" \
  | while read -r path; do mkdir -p "$out/$(dirname "$path")"; done
jsonnet -J "$root/mixin" -S -m "$out" "$source" >/dev/null
