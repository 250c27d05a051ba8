// recording-rules.libsonnet: the source of alerts/recording-rules.yaml (scripts/generate-mixin.sh writes it).
local num(x) = std.format('%.15g', x);

function(config)
  // One series per service with requests: the default objective, or the service's own where
  // config.objectives.services names it (`or on` keeps the first match of each service).
  local objective(kind) =
    local requests = 'group by (service_name) (http_server_request_duration_seconds_count%s)';
    local own = [
      '%s * %s' % [num(config.objectives.services[s][kind]), requests % ('{service_name="%s"}' % s)]
      for s in std.objectFields(config.objectives.services)
      if std.objectHas(config.objectives.services[s], kind)
    ];
    local default = '%s * %s' % [num(config.objectives.default[kind]), requests % ''];
    if std.length(own) == 0 then default
    else std.join('\nor on (service_name)\n', own + [default]) + '\n';
  // One series per service that runs or has request metrics: the default threshold, or the
  // service's own where config.deploymentThresholds.services names it.
  local threshold(name) =
    local services = std.get(config.deploymentThresholds, 'services', {});
    local running = '(group by (service_name) (ops_build_info%s) or group by (service_name) (http_server_request_duration_seconds_count%s))';
    local own = [
      '%s * %s' % [num(services[s][name]), running % [('{service_name="%s"}' % s), ('{service_name="%s"}' % s)]]
      for s in std.objectFields(services)
      if std.objectHas(services[s], name)
    ];
    local default = '%s * %s' % [num(config.deploymentThresholds[name]), running % ['', '']];
    if std.length(own) == 0 then default
    else std.join('\nor on (service_name)\n', own + [default]) + '\n';
  {
  header:: |||
    # GENERATED from mixin/ by scripts/generate-mixin.sh: edit the mixin, not this file.
    # Recording rules: the service level indicators (SLIs) of every Plimsoll service, per service_name
    # (and per service_version where a deployment is compared with the one it replaces), the SLO
    # objectives, and the error budget left. The alerts, the canary gates (canary/) and the dashboards
    # all read these names; README.md has the table. Metric names are those of docs/contract.md.
    #
    # Zero traffic: every ratio divides by a request rate filtered with `> 0`, so a service without
    # requests in the window has no ratio at all (never NaN or ±Inf) and no ratio alert can fire.
    # A 5xx numerator without series (no 5xx ever) falls back to `0 * <requests>`, so a healthy
    # service reports 0 rather than nothing. Counter resets (restarts) are absorbed by rate().
  |||,
  groups: [
    {
      name: 'plimsoll-sli-rate5m',
      rules: [
        {
          comment:: |||
            # Requests per second.
          |||,
          record: 'service:http_requests:rate5m',
          expr: 'sum by (service_name) (rate(http_server_request_duration_seconds_count[5m]))',
        },
        {
          record: 'service_version:http_requests:rate5m',
          expr: 'sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count[5m]))',
        },
        {
          comment:: |||
            # 5xx responses per second and requests slower than the latency SLO threshold (0.5 s) per
            # second: the numerators of the SLIs, kept so that the 30-day error budget below can average
            # them cheaply instead of reading 30 days of raw series.
          |||,
          record: 'service:http_request_errors:rate5m',
          expr: |||
            sum by (service_name) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[5m]))
            or
            0 * sum by (service_name) (rate(http_server_request_duration_seconds_count[5m]))
          |||,
        },
        {
          record: 'service:http_request_slow:rate5m',
          expr: |||
            sum by (service_name) (rate(http_server_request_duration_seconds_count[5m]))
            - on (service_name)
            sum by (service_name) (rate(http_server_request_duration_seconds_bucket{le="0.5"}[5m]))
          |||,
        },
        {
          comment:: |||
            # Availability SLI, inverted: the share of requests answered with a 5xx.
          |||,
          record: 'service:http_request_error_ratio:rate5m',
          expr: |||
            (
              sum by (service_name) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[5m]))
              or
              0 * sum by (service_name) (rate(http_server_request_duration_seconds_count[5m]))
            )
            /
            (sum by (service_name) (rate(http_server_request_duration_seconds_count[5m])) > 0)
          |||,
        },
        {
          record: 'service_version:http_request_error_ratio:rate5m',
          expr: |||
            (
              sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[5m]))
              or
              0 * sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count[5m]))
            )
            /
            (sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count[5m])) > 0)
          |||,
        },
        {
          comment:: |||
            # Latency SLI, inverted: the share of requests slower than 0.5 s, read from the exact bucket
            # le="0.5" (ops.metrics.slo-latencies guarantees it), so no interpolation is involved.
          |||,
          record: 'service:http_request_slow_ratio:rate5m',
          expr: |||
            1 - (
              sum by (service_name) (rate(http_server_request_duration_seconds_bucket{le="0.5"}[5m]))
              /
              (sum by (service_name) (rate(http_server_request_duration_seconds_count[5m])) > 0)
            )
          |||,
        },
        {
          comment:: |||
            # 95th percentile latency in seconds, interpolated within histogram buckets. The guard keeps
            # an idle service out (histogram_quantile of empty buckets is NaN).
          |||,
          record: 'service:http_request_duration_seconds:p95_rate5m',
          expr: |||
            histogram_quantile(0.95, sum by (service_name, le) (rate(http_server_request_duration_seconds_bucket[5m])))
            and on (service_name)
            (sum by (service_name) (rate(http_server_request_duration_seconds_count[5m])) > 0)
          |||,
        },
        {
          record: 'service_version:http_request_duration_seconds:p95_rate5m',
          expr: |||
            histogram_quantile(0.95, sum by (service_name, service_version, le) (rate(http_server_request_duration_seconds_bucket[5m])))
            and on (service_name, service_version)
            (sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count[5m])) > 0)
          |||,
        },
        {
          comment:: |||
            # 99th percentile: the latency objective says 99% within 0.5 s, so p99 <= 0.5 is the
            # objective met over the window; the canary gate compares it with its threshold.
          |||,
          record: 'service:http_request_duration_seconds:p99_rate5m',
          expr: |||
            histogram_quantile(0.99, sum by (service_name, le) (rate(http_server_request_duration_seconds_bucket[5m])))
            and on (service_name)
            (sum by (service_name) (rate(http_server_request_duration_seconds_count[5m])) > 0)
          |||,
        },
        {
          record: 'service_version:http_request_duration_seconds:p99_rate5m',
          expr: |||
            histogram_quantile(0.99, sum by (service_name, service_version, le) (rate(http_server_request_duration_seconds_bucket[5m])))
            and on (service_name, service_version)
            (sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count[5m])) > 0)
          |||,
        },
      ],
    },
    {
      blank:: 1,
      comment:: |||
        # What a canary gate measures each minute (Argo Rollouts' and Flagger's analysis interval): the
        # canary's own requests, by service_version, over the last minute. Scrape the services at least
        # every 15 s (deploy/ does) so that a minute holds four samples. No request in the window, no
        # series: the gates read that as "no data", never as success.
      |||,
      name: 'plimsoll-canary-gate-slis',
      rules: [
        {
          record: 'service_version:http_request_error_ratio:rate1m',
          expr: |||
            (
              sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[1m]))
              or
              0 * sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count[1m]))
            )
            /
            (sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count[1m])) > 0)
          |||,
        },
        {
          record: 'service_version:http_request_duration_seconds:p99_rate1m',
          expr: |||
            histogram_quantile(0.99, sum by (service_name, service_version, le) (rate(http_server_request_duration_seconds_bucket[1m])))
            and on (service_name, service_version)
            (sum by (service_name, service_version) (rate(http_server_request_duration_seconds_count[1m])) > 0)
          |||,
        },
      ],
    },
    {
      blank:: 1,
      comment:: |||
        # The windows of the multiwindow, multi-burn-rate alerts (slo-alerts.yaml): 1h/5m and 6h/30m
        # page, 3d/6h opens a ticket. Computed from the raw series, like the 5m ones, so that each
        # window is exact; the 3d rules read three days of every request series at each evaluation and
        # are the most expensive rules here (give this group `interval: 2m` if that matters).
      |||,
      name: 'plimsoll-sli-long-windows',
      rules: [
        {
          record: 'service:http_request_error_ratio:rate30m',
          expr: |||
            (
              sum by (service_name) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[30m]))
              or
              0 * sum by (service_name) (rate(http_server_request_duration_seconds_count[30m]))
            )
            /
            (sum by (service_name) (rate(http_server_request_duration_seconds_count[30m])) > 0)
          |||,
        },
        {
          record: 'service:http_request_error_ratio:rate1h',
          expr: |||
            (
              sum by (service_name) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[1h]))
              or
              0 * sum by (service_name) (rate(http_server_request_duration_seconds_count[1h]))
            )
            /
            (sum by (service_name) (rate(http_server_request_duration_seconds_count[1h])) > 0)
          |||,
        },
        {
          record: 'service:http_request_error_ratio:rate6h',
          expr: |||
            (
              sum by (service_name) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[6h]))
              or
              0 * sum by (service_name) (rate(http_server_request_duration_seconds_count[6h]))
            )
            /
            (sum by (service_name) (rate(http_server_request_duration_seconds_count[6h])) > 0)
          |||,
        },
        {
          record: 'service:http_request_error_ratio:rate3d',
          expr: |||
            (
              sum by (service_name) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[3d]))
              or
              0 * sum by (service_name) (rate(http_server_request_duration_seconds_count[3d]))
            )
            /
            (sum by (service_name) (rate(http_server_request_duration_seconds_count[3d])) > 0)
          |||,
        },
        {
          record: 'service:http_request_slow_ratio:rate30m',
          expr: |||
            1 - (
              sum by (service_name) (rate(http_server_request_duration_seconds_bucket{le="0.5"}[30m]))
              /
              (sum by (service_name) (rate(http_server_request_duration_seconds_count[30m])) > 0)
            )
          |||,
        },
        {
          record: 'service:http_request_slow_ratio:rate1h',
          expr: |||
            1 - (
              sum by (service_name) (rate(http_server_request_duration_seconds_bucket{le="0.5"}[1h]))
              /
              (sum by (service_name) (rate(http_server_request_duration_seconds_count[1h])) > 0)
            )
          |||,
        },
        {
          record: 'service:http_request_slow_ratio:rate6h',
          expr: |||
            1 - (
              sum by (service_name) (rate(http_server_request_duration_seconds_bucket{le="0.5"}[6h]))
              /
              (sum by (service_name) (rate(http_server_request_duration_seconds_count[6h])) > 0)
            )
          |||,
        },
        {
          record: 'service:http_request_slow_ratio:rate3d',
          expr: |||
            1 - (
              sum by (service_name) (rate(http_server_request_duration_seconds_bucket{le="0.5"}[3d]))
              /
              (sum by (service_name) (rate(http_server_request_duration_seconds_count[3d])) > 0)
            )
          |||,
        },
      ],
    },
    {
      blank:: 2,
      comment:: |||
        # The SLO objectives: change them in the mixin's _config (objectives) and nowhere else. Each
        # rule yields one series per service that has request metrics, so every alert, gate and
        # dashboard can join on service_name. A service with its own objective
        # (_config.objectives.services) comes first, for example
        #   expr: |
        #     0.9995 * group by (service_name) (http_server_request_duration_seconds_count{service_name="checkout"})
        #     or on (service_name)
        #     0.999 * group by (service_name) (http_server_request_duration_seconds_count)
        # (`or on (service_name)` keeps the override and adds the default for every other service).
      |||,
      name: 'plimsoll-slo-objectives',
      rules: [
        {
          comment:: |||
            # Availability: 99.9% of requests are not answered with a 5xx.
          |||,
          record: 'service:slo_availability_objective:ratio',
          expr: objective('availability'),
        },
        {
          comment:: |||
            # Latency: 99% of requests complete within 0.5 s (the bucket le="0.5").
          |||,
          record: 'service:slo_latency_objective:ratio',
          expr: objective('latency'),
        },
      ],
    },
    {
      blank:: 1,
      comment:: |||
        # The deployment thresholds: change them in the mixin's _config (deploymentThresholds) and
        # nowhere else. The canary gates (canary/) and the rollback pages (deployment-alerts.yaml)
        # compare with these series rather than with numbers of their own, so a gate and a page can
        # never disagree. The gates are stricter than the pages: a canary step passes only with at
        # most 1% errors and a p99 within 0.5 s (the latency objective), while the pages fire at 5%
        # errors for 5 minutes or a p95 above 2 s for 3 minutes, the automatic-rollback criteria. One
        # series per service that runs or has request metrics.
      |||,
      name: 'plimsoll-deployment-thresholds',
      rules: [
        {
          record: 'service:deployment_gate_error_ratio:threshold',
          expr: threshold('gateErrorRatio'),
        },
        {
          record: 'service:deployment_gate_latency_p99_seconds:threshold',
          expr: threshold('gateLatencyP99Seconds'),
        },
        {
          record: 'service:rollback_error_ratio:threshold',
          expr: threshold('rollbackErrorRatio'),
        },
        {
          record: 'service:rollback_latency_p95_seconds:threshold',
          expr: threshold('rollbackLatencyP95Seconds'),
        },
      ],
    },
    {
      blank:: 1,
      comment:: |||
        # Deployment KPIs, from what every instance reports (ops_build_info, process_start_time_seconds),
        # so they work the same for a Deployment, an Argo Rollout, a Flagger canary or machines without
        # Kubernetes. A rollout is the time more than one version is scraped: from the first instance of
        # the incoming version (its start) to the last instance of the outgoing one gone. A rollback is
        # the newest version seen in the last day no longer serving while an older one does (a rollout
        # undone, or a canary aborted). Every rollout counts as a deployment, a rollback included; a
        # deployment failed when its version was abandoned. Rules read rules above them: keep the order.
      |||,
      name: 'plimsoll-deployment-kpis',
      rules: [
        {
          record: 'service_version:instances:count',
          expr: 'count by (service_name, service_version) (ops_build_info)',
        },
        {
          record: 'service_version:start_time_seconds:min',
          expr: 'min by (service_name, service_version) (process_start_time_seconds)',
        },
        {
          record: 'service:versions:count',
          expr: 'count by (service_name) (service_version:instances:count)',
        },
        {
          record: 'service:rollout_in_progress:bool',
          expr: 'service:versions:count > bool 1',
        },
        {
          comment:: |||
            # Only while a rollout runs: seconds since the incoming version's first instance started. Its
            # last value is the rollout's duration.
          |||,
          record: 'service:rollout_duration_seconds',
          expr: |||
            time() - max by (service_name) (service_version:start_time_seconds:min)
            and on (service_name)
            service:versions:count > 1
          |||,
        },
        {
          comment:: |||
            # When each version was last scraped; its minimum over a day is when it was first seen.
          |||,
          record: 'service_version:seen_timestamp_seconds',
          expr: 'time() + 0 * service_version:instances:count',
        },
        {
          record: 'service_version:first_seen_timestamp_seconds:min1d',
          expr: 'min_over_time(service_version:seen_timestamp_seconds[1d])',
        },
        {
          record: 'service:rolled_back:bool',
          expr: |||
            (
              group by (service_name) (service_version:instances:count)
              unless on (service_name)
              (
                service_version:first_seen_timestamp_seconds:min1d
                == on (service_name) group_left ()
                max by (service_name) (service_version:first_seen_timestamp_seconds:min1d)
                and on (service_name, service_version)
                service_version:instances:count
              )
            )
            or on (service_name)
            0 * group by (service_name) (service_version:instances:count)
          |||,
        },
        {
          comment:: |||
            # Rollouts and rollbacks that began in the window: the rises of a 0/1 series are half its
            # changes, plus one when it ends high (floor drops the half a window that began high adds).
          |||,
          record: 'service:rollouts:count1d',
          expr: 'floor((changes(service:rollout_in_progress:bool[1d]) + last_over_time(service:rollout_in_progress:bool[1d])) / 2)',
        },
        {
          record: 'service:rollouts:count30d',
          expr: 'floor((changes(service:rollout_in_progress:bool[30d]) + last_over_time(service:rollout_in_progress:bool[30d])) / 2)',
        },
        {
          record: 'service:rollbacks:count1d',
          expr: 'floor((changes(service:rolled_back:bool[1d]) + last_over_time(service:rolled_back:bool[1d])) / 2)',
        },
        {
          record: 'service:rollbacks:count30d',
          expr: 'floor((changes(service:rolled_back:bool[30d]) + last_over_time(service:rolled_back:bool[30d])) / 2)',
        },
        {
          comment:: |||
            # How long the last rollback took (the rollout that brought the older version back), while
            # the service is rolled back.
          |||,
          record: 'service:rollback_duration_seconds',
          expr: |||
            last_over_time(service:rollout_duration_seconds[1d])
            and on (service_name)
            service:rolled_back:bool == 1
          |||,
        },
        {
          comment:: |||
            # The deployment success rate over 30 days: the rollouts not undone.
          |||,
          record: 'service:deployment_success:ratio30d',
          expr: '1 - service:rollbacks:count30d / (service:rollouts:count30d > 0)',
        },
      ],
    },
    {
      blank:: 1,
      comment:: |||
        # The share of the 30-day error budget left: 1 when no request failed (or was slow), 0 when the
        # budget is spent, negative when overspent. The 30-day SLI is the ratio of the 30-day averages
        # of the recorded 5m rates (traffic-weighted, like a raw 30d rate, but one series per service
        # instead of every request series). Needs 30 days of retention; with less, it covers what there
        # is. Services without any request in 30 days have no series.
      |||,
      name: 'plimsoll-slo-error-budget',
      rules: [
        {
          record: 'service:slo_availability_error_budget_remaining:ratio30d',
          expr: |||
            1 - (
              avg_over_time(service:http_request_errors:rate5m[30d])
              /
              (avg_over_time(service:http_requests:rate5m[30d]) > 0)
            )
            / on (service_name)
            (1 - service:slo_availability_objective:ratio)
          |||,
        },
        {
          record: 'service:slo_latency_error_budget_remaining:ratio30d',
          expr: |||
            1 - (
              avg_over_time(service:http_request_slow:rate5m[30d])
              /
              (avg_over_time(service:http_requests:rate5m[30d]) > 0)
            )
            / on (service_name)
            (1 - service:slo_latency_objective:ratio)
          |||,
        },
      ],
    },
  ],
}
