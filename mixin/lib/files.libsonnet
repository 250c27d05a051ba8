// The files the mixin generates, by path from the repository root (scripts/generate-mixin.sh
// writes them with `jsonnet -S -m`, which ends each with a newline).
local rulefile = import 'rulefile.libsonnet';

local noFinalNewline(text) = std.substr(text, 0, std.length(text) - 1);

function(mixin)
  local files = mixin.plimsollRuleFiles;
  {
  ['alerts/' + name]: noFinalNewline(rulefile.file(files[name]))
  for name in std.objectFields(files)
} + {
  'alerts/kubernetes/prometheus-rule.yaml': noFinalNewline(|||
    # GENERATED from mixin/ by scripts/generate-mixin.sh: do not edit. The groups of the plain
    # rule files as one prometheus-operator resource; its Prometheus must select it by label
    # (ruleSelector; kube-prometheus-stack: release=<its release name>). See alerts/README.md.
    apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    metadata:
      name: plimsoll
      labels:
        app.kubernetes.io/part-of: plimsoll
    spec:
      groups:
  ||| + std.join('', [
    '    # ' + name + '\n' + rulefile.groups(files[name].groups, 4, maxBlank=1)
    for name in std.objectFields(files)
  ])),
} + {
  ['dashboards/' + name]: noFinalNewline(mixin.plimsollDashboardFiles[name])
  for name in std.objectFields(mixin.plimsollDashboardFiles)
}
