// A fleet: one Prometheus per cluster (external label `cluster`), read together through Thanos
// Query, Mimir or a federating Prometheus. Every rule keeps the cluster and namespace apart, only
// the Plimsoll jobs are read, checkout has a stricter availability objective and canary gate, and
// the runbooks live on an internal wiki. Generate with
//   scripts/generate-mixin.sh OUT_DIR mixin/examples/fleet.jsonnet
// (MixinTest generates it and runs the fleet tests on the result).
local plimsoll = (import '../mixin.libsonnet') + {
  _config+:: {
    selector: 'job=~"plimsoll-.*"',
    aggregationLabels: ['cluster', 'namespace'],
    objectives+: { services+: { checkout: { availability: 0.9995 } } },
    deploymentThresholds+: { services+: { checkout: { gateErrorRatio: 0.005 } } },
    runbookBaseUrl: 'https://wiki.example.com/runbooks/plimsoll/',
  },
};

(import '../lib/files.libsonnet')(plimsoll)
