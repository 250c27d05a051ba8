// Plimsoll's monitoring mixin: the recording rules, alerts and Grafana dashboards of every service
// that uses Plimsoll, in the shape of kubernetes-mixin and node-mixin. Configure it through
// `_config` (config.libsonnet lists every setting); the defaults give the files committed in
// alerts/ and dashboards/, which scripts/generate-mixin.sh writes from this.
//
//   local plimsoll = (import 'plimsoll/mixin/mixin.libsonnet') + { _config+:: { aggregationLabels: ['cluster'] } };
//   { rules: plimsoll.prometheusRules, alerts: plimsoll.prometheusAlerts, dashboards: plimsoll.grafanaDashboards }
local promql = import 'lib/promql.libsonnet';
local dashboards = import 'lib/dashboards.libsonnet';

// The rule files: their sources, in the order of alerts/ (the PrometheusRule lists them so).
local ruleFiles = {
  'deployment-alerts.yaml': import 'alerts/deployment-alerts.libsonnet',
  'health-alerts.yaml': import 'alerts/health-alerts.libsonnet',
  'recording-rules.yaml': import 'rules/recording-rules.libsonnet',
  'resource-alerts.yaml': import 'alerts/resource-alerts.libsonnet',
  'slo-alerts.yaml': import 'alerts/slo-alerts.libsonnet',
};

// The dashboards: Grafana JSON, rewritten for the settings (lib/dashboards.libsonnet).
local dashboardSources = {
  'health-lifecycle.json': importstr 'dashboards/health-lifecycle.json',
  'runtime.json': importstr 'dashboards/runtime.json',
  'service-overview.json': importstr 'dashboards/service-overview.json',
};

(import 'config.libsonnet') + {
  local config = self._config,

  // One rule for the settings: its expression rewritten, its severity and runbook configured. The
  // text of the annotations keeps its line breaks (the files fold them); see prometheusAlerts.
  local configure(rule) =
    rule
    + { expr: promql.apply(config, rule.expr) }
    + (if std.objectHas(rule, 'labels') && std.objectHas(rule.labels, 'severity')
       then { labels+: { severity: config.severities[rule.labels.severity] } } else {})
    + (if std.objectHas(rule, 'annotations') && std.objectHas(rule.annotations, 'runbook_url')
       then { annotations+: { runbook_url: config.runbookBaseUrl + rule.annotations.runbook_url } } else {}),

  // The rule files as printed into alerts/ (with their comments, in hidden fields).
  plimsollRuleFiles:: {
    [name]: ruleFiles[name](config) + {
      groups: [g + { rules: [configure(r) for r in g.rules] } for g in super.groups],
    }
    for name in std.objectFields(ruleFiles)
  },

  // What Prometheus reads: annotation text on one line, as YAML's folding (>-) gives it.
  local unfold(rule) =
    if std.objectHas(rule, 'annotations') then rule + {
      annotations: std.mapWithKey(function(k, v) std.strReplace(if std.endsWith(v, '\n') then std.substr(v, 0, std.length(v) - 1) else v, '\n', ' '), rule.annotations),
    } else rule,
  local groupsWhere(alerting) = [
    g + { rules: [unfold(r) for r in g.rules] }
    for name in std.objectFields(self.plimsollRuleFiles)
    for g in self.plimsollRuleFiles[name].groups
    if std.length([r for r in g.rules if std.objectHas(r, 'alert')]) > 0 == alerting
  ],

  prometheusRules+:: { groups+: groupsWhere(false) },
  prometheusAlerts+:: { groups+: groupsWhere(true) },

  // The dashboards as JSON text, as written into dashboards/.
  plimsollDashboardFiles:: {
    [name]: dashboards.render(config, dashboardSources[name])
    for name in std.objectFields(dashboardSources)
  },

  grafanaDashboards+:: {
    [name]: std.parseJson(self.plimsollDashboardFiles[name])
    for name in std.objectFields(self.plimsollDashboardFiles)
  },
}
