#!/usr/bin/env bash
# Opens the pull request that deploys IMAGE (repository:tag) to ENVIRONMENT: `kustomize edit set
# image` in example-service/deploy/overlays/ENVIRONMENT (whose replacements copy the tag into
# app.kubernetes.io/version and so into service_version), committed on the branch
# deploy/ENVIRONMENT-TAG. Argo CD applies it once merged (deploy/argocd/). Run by delivery.yml (dev)
# and promote.yml (staging, prod) in a checkout that may push, with GH_TOKEN set for gh.
# Usage: scripts/deploy-pr.sh ENVIRONMENT IMAGE:TAG
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -ne 2 ]; then
  echo "usage: $0 ENVIRONMENT IMAGE:TAG" >&2
  exit 2
fi
environment="$1"
image="$2"
tag="${image##*:}"
overlay="$root/example-service/deploy/overlays/$environment"
if ! [[ "$environment" =~ ^(dev|staging|prod)$ ]] || [ ! -f "$overlay/kustomization.yaml" ]; then
  echo "no environment '$environment' (dev, staging or prod)" >&2
  exit 1
fi
# A Kubernetes label value (the tag becomes app.kubernetes.io/version) and a Docker tag.
if [ "$tag" = "$image" ] || ! [[ "$tag" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]]; then
  echo "'$image' has no tag usable as a version label" >&2
  exit 1
fi

(cd "$overlay" && kustomize edit set image "example-service=$image")
if git -C "$root" diff --quiet; then
  echo "$environment already runs $image"
  exit 0
fi
branch="deploy/$environment-$tag"
git -C "$root" switch --force-create "$branch"
git -C "$root" -c user.name='github-actions[bot]' \
  -c user.email='41898282+github-actions[bot]@users.noreply.github.com' \
  commit --quiet --all --message "Deploy example-service $tag to $environment"
git -C "$root" push --force origin "$branch"
if [ -n "$(gh pr list --head "$branch" --state open --json number --jq '.[].number')" ]; then
  echo "the pull request for $branch is open already; its branch now holds this commit"
  exit 0
fi
gh pr create --base main --head "$branch" --title "Deploy example-service $tag to $environment" \
  --body "Sets the image of \`example-service/deploy/overlays/$environment\` to \`$image\`.
Merged, Argo CD syncs the Application \`example-service-$environment\`; release-validation.yml then
waits for the rollout and smoke-tests it. Roll back by reverting this pull request."
