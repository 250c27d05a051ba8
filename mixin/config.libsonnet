// The mixin's settings. The defaults reproduce the files committed in alerts/ and dashboards/
// exactly; override any of them with `(import 'mixin.libsonnet') + { _config+:: { ... } }`.
{
  _config+:: {
    // Label matchers added to every raw Plimsoll series the rules and dashboards read, for
    // example 'job=~"checkout|payments"' or 'namespace!~"kube-.*"'. Empty: every series.
    selector: '',

    // Labels added in front of every `by (...)` and `on (...)` list, so that each series the rules
    // record and each alert they fire is one per these labels and service. Empty: one Prometheus
    // per environment (as the plain files assume). ['cluster'] or ['cluster', 'namespace'] for a
    // fleet read through Thanos, Mimir or federation, where the same service runs in several.
    aggregationLabels: [],

    // The SLO objectives, for every service (default) and per service_name (services).
    objectives: {
      default: { availability: 0.999, latency: 0.99 },
      services: {},  // for example { checkout: { availability: 0.9995 } }
    },

    // The latency SLO threshold in seconds: a histogram bucket boundary every service exposes
    // (ops.metrics.slo-latencies; 0.5 is always there).
    sloLatencyThresholdSeconds: 0.5,

    // The deployment thresholds: the canary gates (stricter) and the automatic-rollback pages.
    deploymentThresholds: {
      gateErrorRatio: 0.01,
      gateLatencyP99Seconds: 0.5,
      rollbackErrorRatio: 0.05,
      rollbackLatencyP95Seconds: 2,
      services: {},  // for example { checkout: { gateErrorRatio: 0.005 } }
    },

    // The severity label each class of alert gets; route on them in Alertmanager.
    severities: { page: 'page', ticket: 'ticket', warning: 'warning' },

    // Where the runbooks live: every runbook_url is this plus '<file>.md#<alert in lower case>'.
    runbookBaseUrl: 'https://github.com/plimsoll/plimsoll/blob/main/alerts/runbooks/',
  },
}
