// resource-alerts.libsonnet: the source of alerts/resource-alerts.yaml (scripts/generate-mixin.sh writes it).
function(config) {
  header:: |||
    # GENERATED from mixin/ by scripts/generate-mixin.sh: edit the mixin, not this file.
    # Resource alerts (USE: saturation and errors of what a request needs): the HikariCP connection
    # pool (with Spring Boot Actuator, the starter's registry exposes it), the JVM heap and garbage
    # collector, and a burst of ERROR log events. Per instance: one saturated instance is the cause
    # worth naming.
  |||,
  groups: [
    {
      name: 'plimsoll-resources',
      rules: [
        {
          comment:: |||
            # Threads waiting for a connection at every evaluation for 5 minutes: the pool is too small
            # for the load, or connections are held too long (slow queries, leaks).
          |||,
          alert: 'HikariPoolExhausted',
          expr: 'sum by (service_name, instance, pool) (hikaricp_connections_pending) > 0',
          'for': '5m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: 'Connection pool {{ $labels.pool }} of {{ $labels.instance }} ({{ $labels.service_name }}) is exhausted',
            description: |||
              {{ $value }} threads of {{ $labels.instance }} ({{ $labels.service_name }}) are
              waiting for a connection from pool {{ $labels.pool }}, and threads have been waiting
              for 5 minutes.
            |||,
            runbook_url: 'resources.md#hikaripoolexhausted',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # Each timeout is a request that waited the whole connection-timeout and then failed.
          |||,
          alert: 'HikariConnectionTimeouts',
          expr: 'sum by (service_name, instance, pool) (increase(hikaricp_connections_timeout_total[5m])) > 0',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: 'Connection requests time out in pool {{ $labels.pool }} of {{ $labels.instance }} ({{ $labels.service_name }})',
            description: |||
              About {{ $value | printf "%.0f" }} requests for a connection from pool
              {{ $labels.pool }} of {{ $labels.instance }} ({{ $labels.service_name }}) timed out
              in the last 5 minutes.
            |||,
            runbook_url: 'resources.md#hikariconnectiontimeouts',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # Pools without a maximum report max = -1 (G1's eden and survivor spaces); `> 0` leaves them
            # out of the denominator, whose remaining pools (G1's old generation) bound the whole heap.
            # Above 90% at every evaluation for 15 minutes: garbage collection no longer frees enough.
          |||,
          alert: 'JvmHeapPressure',
          expr: |||
            sum by (service_name, instance) (jvm_memory_used_bytes{area="heap"})
            /
            sum by (service_name, instance) (jvm_memory_max_bytes{area="heap"} > 0)
            > 0.9
          |||,
          'for': '15m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: 'Heap of {{ $labels.instance }} ({{ $labels.service_name }}) is over 90% full',
            description: |||
              {{ $labels.instance }} ({{ $labels.service_name }}) has used
              {{ $value | humanizePercentage }} of its maximum heap, above 90% for 15 minutes.
            |||,
            runbook_url: 'resources.md#jvmheappressure',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # Share of wall-clock time spent in GC pauses.
          |||,
          alert: 'JvmGcTimeHigh',
          expr: 'sum by (service_name, instance) (rate(jvm_gc_pause_seconds_sum[5m])) > 0.1',
          'for': '10m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: '{{ $labels.instance }} ({{ $labels.service_name }}) spends over 10% of its time in GC pauses',
            description: |||
              {{ $labels.instance }} ({{ $labels.service_name }}) has spent
              {{ $value | humanizePercentage }} of the last 5 minutes in garbage-collection pauses,
              above 10% for 10 minutes.
            |||,
            runbook_url: 'resources.md#jvmgctimehigh',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # More than 100 ERROR events in 5 minutes (one every 3 s); the level policy keeps ERROR for
            # failures, so a burst means something is failing repeatedly.
          |||,
          alert: 'ErrorLogBurst',
          expr: 'sum by (service_name, instance) (increase(logback_events_total{level="error"}[5m])) > 100',
          'for': '2m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: 'Burst of ERROR logs from {{ $labels.instance }} ({{ $labels.service_name }})',
            description: |||
              {{ $labels.instance }} ({{ $labels.service_name }}) logged about
              {{ $value | printf "%.0f" }} ERROR events in the last 5 minutes (threshold 100).
            |||,
            runbook_url: 'resources.md#errorlogburst',
          },
        },
      ],
    },
  ],
}
