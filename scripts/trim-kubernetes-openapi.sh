#!/usr/bin/env bash
# Writes the definitions of the built-in kinds Plimsoll's manifests use, with every definition they
# reference (transitively), from a Kubernetes OpenAPI v2 spec (api/openapi-spec/swagger.json of
# kubernetes/kubernetes). The output is what ops-test-support/src/main/resources/kubernetes-schemas/
# vendors; its README.md says where the input comes from.
# Usage: scripts/trim-kubernetes-openapi.sh SWAGGER_JSON > kubernetes-1.32.json   (needs jq)
set -euo pipefail
spec="${1:?usage: $0 SWAGGER_JSON}"

# group/version/kind of each kind kept; "" is the core group.
kinds='[
  ["", "v1", "ConfigMap"], ["", "v1", "Secret"], ["", "v1", "Service"], ["", "v1", "ServiceAccount"],
  ["apps", "v1", "Deployment"],
  ["autoscaling", "v2", "HorizontalPodAutoscaler"],
  ["batch", "v1", "Job"],
  ["policy", "v1", "PodDisruptionBudget"],
  ["networking.k8s.io", "v1", "Ingress"], ["networking.k8s.io", "v1", "NetworkPolicy"],
  ["rbac.authorization.k8s.io", "v1", "Role"], ["rbac.authorization.k8s.io", "v1", "RoleBinding"]
]'

jq -S --argjson kinds "$kinds" '
  .definitions as $all
  | def refs($name): [$all[$name] | .. | objects | .["$ref"]? // empty | ltrimstr("#/definitions/")];
    def closure($names):
      ($names + [$names[] | refs(.)[]] | unique) as $more
      | if ($more | length) == ($names | length) then $names else closure($more) end;
  [$all | to_entries[]
    | select(any(.value["x-kubernetes-group-version-kind"][]?; [.group, .version, .kind] as $gvk | $kinds | index([$gvk])))
    | .key] as $roots
  | if ($roots | length) != ($kinds | length) then error("found \($roots | length) of \($kinds | length) kinds") else . end
  | closure($roots) as $kept
  | {swagger, info, definitions: ($all | with_entries(select(.key as $k | $kept | index($k))))}
' "$spec"
