#!/usr/bin/env bash
# Waits until Argo CD has synced ENVIRONMENT and its pods run the overlay's version: the
# Application example-service-ENVIRONMENT Synced and Healthy, the Deployment labelled with the
# overlay's tag, and its rollout complete. Gives up after AWAIT_SECONDS (600, the deployment KPI).
# Needs kubectl with read access to the Applications (namespace ARGOCD_NAMESPACE, default argocd)
# and to the environment's namespace. Run by release-validation.yml.
# Usage: scripts/await-rollout.sh ENVIRONMENT
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
environment="$1"
namespace="$("$root/scripts/overlay.sh" "$environment" namespace)"
version="$("$root/scripts/overlay.sh" "$environment" tag)"
application="example-service-$environment"
deadline=$((SECONDS + ${AWAIT_SECONDS:-600}))

echo "waiting for $application to run $version in $namespace"
while :; do
  state="$(kubectl -n "${ARGOCD_NAMESPACE:-argocd}" get application "$application" \
    -o jsonpath='{.status.sync.status}/{.status.health.status}' 2>/dev/null || true)"
  running="$(kubectl -n "$namespace" get deployment example-service \
    -o jsonpath='{.metadata.labels.app\.kubernetes\.io/version}' 2>/dev/null || true)"
  if [ "$state" = "Synced/Healthy" ] && [ "$running" = "$version" ]; then
    break
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "$application is '$state' with version '$running', not Synced/Healthy with $version" >&2
    exit 1
  fi
  sleep 10
done
kubectl -n "$namespace" rollout status deployment/example-service \
  --timeout="$((deadline > SECONDS ? deadline - SECONDS : 1))s"
