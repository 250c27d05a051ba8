// health-alerts.libsonnet: the source of alerts/health-alerts.yaml (scripts/generate-mixin.sh writes it).
function(config) {
  header:: |||
    # GENERATED from mixin/ by scripts/generate-mixin.sh: edit the mixin, not this file.
    # Health alerts: services that stop reporting, instances that are not ready, readiness that
    # flaps, critical health checks that fail. The runbook for all of them starts from "the API does
    # not respond" (runbooks/api-not-responding.md).
    #
    # A Plimsoll service is one that exposes ops_build_info (always 1). Which services and scrape
    # jobs exist is learned from the last day of ops_build_info, so no job name is configured here.
  |||,
  groups: [
    {
      name: 'plimsoll-health',
      rules: [
        {
          comment:: |||
            # Scrapes failing, for any target of a job that has served a Plimsoll service in the last
            # day (so also a new instance that never got as far as serving /metrics).
          |||,
          alert: 'ServiceInstanceDown',
          expr: |||
            up == 0
            and on (job)
            group by (job) (last_over_time(ops_build_info[1d]))
          |||,
          'for': '5m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: '{{ $labels.instance }} of job {{ $labels.job }} is down',
            description: |||
              Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for 5
              minutes (up = {{ $value }}): the process is gone, hung, or /metrics is unreachable.
            |||,
            runbook_url: 'api-not-responding.md#serviceinstancedown',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # The whole service is gone: it reported in the last day, and no instance reports now (every
            # target failed, or service discovery dropped them all, so no `up` series is left to say so).
            # It keeps firing for a day after the last report; silence it when a service is retired.
          |||,
          alert: 'ServiceAbsent',
          expr: |||
            group by (service_name, deployment_environment) (last_over_time(ops_build_info[1d]))
            unless on (service_name, deployment_environment)
            group by (service_name, deployment_environment) (ops_build_info)
          |||,
          'for': '5m',
          labels: {
            severity: 'page',
          },
          annotations: {
            summary: '{{ $labels.service_name }} has stopped reporting',
            description: |||
              No instance of {{ $labels.service_name }} ({{ $labels.deployment_environment }}) has
              reported metrics for 5 minutes, though it did within the last day (absent = {{ $value }}).
            |||,
            runbook_url: 'api-not-responding.md#serviceabsent',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # Readiness is 0 while an instance starts and while it drains on shutdown (seconds, up to
            # the startup probe's allowance); 5 minutes of it is something else.
          |||,
          alert: 'ServiceInstanceNotReady',
          expr: 'ops_health_status{group="ready"} == 0',
          'for': '5m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: '{{ $labels.instance }} of {{ $labels.service_name }} is not ready',
            description: |||
              {{ $labels.instance }} ({{ $labels.service_name }} {{ $labels.service_version }}) has
              reported readiness DOWN (status {{ $value }}) for 5 minutes, so it takes no traffic.
              Its /health/ready body names the failing check.
            |||,
            runbook_url: 'instance-health.md#serviceinstancenotready',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # Degraded (0.5) is still ready (200); only 0 is not.
          |||,
          alert: 'ServiceNoInstanceReady',
          expr: 'max by (service_name) (ops_health_status{group="ready"}) == 0',
          'for': '2m',
          labels: {
            severity: 'page',
          },
          annotations: {
            summary: 'No instance of {{ $labels.service_name }} is ready',
            description: |||
              Every instance of {{ $labels.service_name }} has reported readiness DOWN (best status
              {{ $value }}) for 2 minutes: the service takes no traffic at all.
            |||,
            runbook_url: 'api-not-responding.md#servicenoinstanceready',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # A normal life changes readiness at most twice (ready after start, not ready on drain).
          |||,
          alert: 'ServiceReadinessFlapping',
          expr: 'changes(ops_health_status{group="ready"}[15m]) > 4',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: 'Readiness of {{ $labels.instance }} ({{ $labels.service_name }}) is flapping',
            description: |||
              The readiness of {{ $labels.instance }} ({{ $labels.service_name }}
              {{ $labels.service_version }}) changed {{ $value }} times in the last 15 minutes, so
              it keeps dropping in and out of its Service's endpoints.
            |||,
            runbook_url: 'instance-health.md#servicereadinessflapping',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # A critical check takes its group DOWN (503). NaN (not yet run) is never == 0.
          |||,
          alert: 'CriticalHealthCheckFailing',
          expr: 'ops_health_check_status{critical="true"} == 0',
          'for': '2m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: 'Critical check {{ $labels.check }} fails on {{ $labels.instance }} ({{ $labels.service_name }})',
            description: |||
              The critical {{ $labels.group }} check {{ $labels.check }} of {{ $labels.instance }}
              ({{ $labels.service_name }} {{ $labels.service_version }}) has reported DOWN (status
              {{ $value }}) for 2 minutes.
            |||,
            runbook_url: 'instance-health.md#criticalhealthcheckfailing',
          },
        },
      ],
    },
  ],
}
