// slo-alerts.libsonnet: the source of alerts/slo-alerts.yaml (scripts/generate-mixin.sh writes it).
function(config) {
  header:: |||
    # GENERATED from mixin/ by scripts/generate-mixin.sh: edit the mixin, not this file.
    # SLO alerts, by the multiwindow, multi-burn-rate method of the Google SRE Workbook (chapter
    # "Alerting on SLOs"): each alert fires when both a long and a short window burn the 30-day error
    # budget faster than its threshold; the long window makes it significant, the short one makes it
    # stop soon after the burn stops.
    #
    #   burn rate 14.4 over 1h and 5m   -> 2% of the budget in 1 hour   -> page
    #   burn rate 6    over 6h and 30m  -> 5% of the budget in 6 hours  -> page
    #   burn rate 1    over 3d and 6h   -> 10% of the budget in 3 days  -> ticket
    #
    # Burn rate = the window's bad-request ratio / (1 - objective); the objectives are recording rules
    # (recording-rules.yaml, plimsoll-slo-objectives), 99.9% available and 99% faster than 0.5 s by
    # default. $value is the long window's burn rate. The SLI ratios have no series for a service
    # without traffic in the window, so an idle service never fires.
  |||,
  groups: [
    {
      name: 'plimsoll-slo-alerts',
      rules: [
        {
          alert: 'SloAvailabilityBurnRate1h',
          expr: |||
            (
              service:http_request_error_ratio:rate1h
              / on (service_name) (1 - service:slo_availability_objective:ratio)
              > 14.4
            )
            and on (service_name)
            (
              service:http_request_error_ratio:rate5m
              / on (service_name) (1 - service:slo_availability_objective:ratio)
              > 14.4
            )
          |||,
          'for': '2m',
          labels: {
            severity: 'page',
            slo: 'availability',
          },
          annotations: {
            summary: '{{ $labels.service_name }}: availability error budget burning over 14.4x (1h and 5m windows)',
            description: |||
              {{ $labels.service_name }} is burning its 30-day availability error budget
              {{ $value | printf "%.1f" }} times faster than sustainable over the last 1h, and
              over 14.4 times over the last 5m (5xx responses). At 14.4 times the budget loses 2% in 1 hour.
            |||,
            runbook_url: 'slo-availability.md#sloavailabilityburnrate1h',
          },
        },
        {
          alert: 'SloAvailabilityBurnRate6h',
          expr: |||
            (
              service:http_request_error_ratio:rate6h
              / on (service_name) (1 - service:slo_availability_objective:ratio)
              > 6
            )
            and on (service_name)
            (
              service:http_request_error_ratio:rate30m
              / on (service_name) (1 - service:slo_availability_objective:ratio)
              > 6
            )
          |||,
          'for': '15m',
          labels: {
            severity: 'page',
            slo: 'availability',
          },
          annotations: {
            summary: '{{ $labels.service_name }}: availability error budget burning over 6x (6h and 30m windows)',
            description: |||
              {{ $labels.service_name }} is burning its 30-day availability error budget
              {{ $value | printf "%.1f" }} times faster than sustainable over the last 6h, and
              over 6 times over the last 30m (5xx responses). At 6 times the budget loses 5% in 6 hours.
            |||,
            runbook_url: 'slo-availability.md#sloavailabilityburnrate6h',
          },
        },
        {
          alert: 'SloAvailabilityBurnRate3d',
          expr: |||
            (
              service:http_request_error_ratio:rate3d
              / on (service_name) (1 - service:slo_availability_objective:ratio)
              > 1
            )
            and on (service_name)
            (
              service:http_request_error_ratio:rate6h
              / on (service_name) (1 - service:slo_availability_objective:ratio)
              > 1
            )
          |||,
          'for': '1h',
          labels: {
            severity: 'ticket',
            slo: 'availability',
          },
          annotations: {
            summary: '{{ $labels.service_name }}: availability error budget burning over 1x (3d and 6h windows)',
            description: |||
              {{ $labels.service_name }} is burning its 30-day availability error budget
              {{ $value | printf "%.1f" }} times faster than sustainable over the last 3d, and
              over 1 times over the last 6h (5xx responses). At 1 times the budget loses 10% in 3 days.
            |||,
            runbook_url: 'slo-availability.md#sloavailabilityburnrate3d',
          },
        },
        {
          alert: 'SloLatencyBurnRate1h',
          expr: |||
            (
              service:http_request_slow_ratio:rate1h
              / on (service_name) (1 - service:slo_latency_objective:ratio)
              > 14.4
            )
            and on (service_name)
            (
              service:http_request_slow_ratio:rate5m
              / on (service_name) (1 - service:slo_latency_objective:ratio)
              > 14.4
            )
          |||,
          'for': '2m',
          labels: {
            severity: 'page',
            slo: 'latency',
          },
          annotations: {
            summary: '{{ $labels.service_name }}: latency error budget burning over 14.4x (1h and 5m windows)',
            description: |||
              {{ $labels.service_name }} is burning its 30-day latency error budget
              {{ $value | printf "%.1f" }} times faster than sustainable over the last 1h, and
              over 14.4 times over the last 5m (requests slower than 0.5 s). At 14.4 times the budget loses 2% in 1 hour.
            |||,
            runbook_url: 'slo-latency.md#slolatencyburnrate1h',
          },
        },
        {
          alert: 'SloLatencyBurnRate6h',
          expr: |||
            (
              service:http_request_slow_ratio:rate6h
              / on (service_name) (1 - service:slo_latency_objective:ratio)
              > 6
            )
            and on (service_name)
            (
              service:http_request_slow_ratio:rate30m
              / on (service_name) (1 - service:slo_latency_objective:ratio)
              > 6
            )
          |||,
          'for': '15m',
          labels: {
            severity: 'page',
            slo: 'latency',
          },
          annotations: {
            summary: '{{ $labels.service_name }}: latency error budget burning over 6x (6h and 30m windows)',
            description: |||
              {{ $labels.service_name }} is burning its 30-day latency error budget
              {{ $value | printf "%.1f" }} times faster than sustainable over the last 6h, and
              over 6 times over the last 30m (requests slower than 0.5 s). At 6 times the budget loses 5% in 6 hours.
            |||,
            runbook_url: 'slo-latency.md#slolatencyburnrate6h',
          },
        },
        {
          alert: 'SloLatencyBurnRate3d',
          expr: |||
            (
              service:http_request_slow_ratio:rate3d
              / on (service_name) (1 - service:slo_latency_objective:ratio)
              > 1
            )
            and on (service_name)
            (
              service:http_request_slow_ratio:rate6h
              / on (service_name) (1 - service:slo_latency_objective:ratio)
              > 1
            )
          |||,
          'for': '1h',
          labels: {
            severity: 'ticket',
            slo: 'latency',
          },
          annotations: {
            summary: '{{ $labels.service_name }}: latency error budget burning over 1x (3d and 6h windows)',
            description: |||
              {{ $labels.service_name }} is burning its 30-day latency error budget
              {{ $value | printf "%.1f" }} times faster than sustainable over the last 3d, and
              over 1 times over the last 6h (requests slower than 0.5 s). At 1 times the budget loses 10% in 3 days.
            |||,
            runbook_url: 'slo-latency.md#slolatencyburnrate3d',
          },
        },
      ],
    },
  ],
}
