// deployment-alerts.libsonnet: the source of alerts/deployment-alerts.yaml (scripts/generate-mixin.sh writes it).
function(config) {
  header:: |||
    # GENERATED from mixin/ by scripts/generate-mixin.sh: edit the mixin, not this file.
    # Deployment alerts: the automatic-rollback criteria (error ratio above 5% for 5 minutes, p95
    # latency above 2 s for 3 minutes), per service_version so that a canary or a half-rolled-out
    # version is judged on its own requests; a new version clearly worse than the one it replaces; the
    # deployment KPIs (a rollout still running after 10 minutes, a rollback). The thresholds are the
    # recording rules of the group plimsoll-deployment-thresholds, which the canary gates in canary/
    # read too (with stricter values): a gate and a page never disagree about a number.
    #
    # "The new version" is the version of a service whose instances started last: its oldest
    # instance (min process_start_time_seconds) is younger than every other version's oldest.
  |||,
  groups: [
    {
      name: 'plimsoll-deployment',
      rules: [
        {
          alert: 'ServiceErrorRatioHigh',
          expr: |||
            service_version:http_request_error_ratio:rate5m
            > on (service_name) group_left ()
            service:rollback_error_ratio:threshold
          |||,
          'for': '5m',
          labels: {
            severity: 'page',
          },
          annotations: {
            summary: '{{ $labels.service_name }} {{ $labels.service_version }}: more than 5% of requests fail',
            description: |||
              {{ $value | humanizePercentage }} of the requests to {{ $labels.service_name }}
              version {{ $labels.service_version }} were answered with a 5xx over the last 5 minutes,
              above service:rollback_error_ratio:threshold (5% by default) for 5 minutes: the
              automatic-rollback threshold.
            |||,
            runbook_url: 'deployment.md#serviceerrorratiohigh',
          },
        },
        {
          blank:: 1,
          alert: 'ServiceLatencyHigh',
          expr: |||
            service_version:http_request_duration_seconds:p95_rate5m
            > on (service_name) group_left ()
            service:rollback_latency_p95_seconds:threshold
          |||,
          'for': '3m',
          labels: {
            severity: 'page',
          },
          annotations: {
            summary: '{{ $labels.service_name }} {{ $labels.service_version }}: p95 latency above 2 s',
            description: |||
              The 95th percentile latency of {{ $labels.service_name }} version
              {{ $labels.service_version }} is {{ $value | humanizeDuration }} over the last 5
              minutes, above service:rollback_latency_p95_seconds:threshold (2s by default) for 3
              minutes: the automatic-rollback threshold.
            |||,
            runbook_url: 'deployment.md#servicelatencyhigh',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # Clearly worse: at least twice the error ratio of the best other version serving, and at
            # least 1 percentage point more, so that 0.1% against 0.3% stays quiet.
          |||,
          alert: 'NewVersionErrorRatioRegression',
          expr: |||
            (
              service_version:http_request_error_ratio:rate5m
              > on (service_name) group_left ()
              2 * min without (service_version) (service_version:http_request_error_ratio:rate5m)
            )
            and on (service_name, service_version)
            (
              service_version:http_request_error_ratio:rate5m
              - on (service_name) group_left ()
              min without (service_version) (service_version:http_request_error_ratio:rate5m)
              > 0.01
            )
            and on (service_name, service_version)
            (
              min by (service_name, service_version) (process_start_time_seconds)
              == on (service_name) group_left ()
              max by (service_name) (min by (service_name, service_version) (process_start_time_seconds))
            )
          |||,
          'for': '5m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: '{{ $labels.service_name }} {{ $labels.service_version }} fails more requests than the version it replaces',
            description: |||
              The new version {{ $labels.service_version }} of {{ $labels.service_name }} answers
              {{ $value | humanizePercentage }} of its requests with a 5xx over the last 5 minutes,
              at least twice (and 1 percentage point above) the ratio of a version serving beside
              it. Halt the rollout.
            |||,
            runbook_url: 'deployment.md#newversionerrorratioregression',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # Clearly slower: at least 1.5 times the p95 of the fastest other version serving, and at
            # least 0.25 s more.
          |||,
          alert: 'NewVersionLatencyRegression',
          expr: |||
            (
              service_version:http_request_duration_seconds:p95_rate5m
              > on (service_name) group_left ()
              1.5 * min without (service_version) (service_version:http_request_duration_seconds:p95_rate5m)
            )
            and on (service_name, service_version)
            (
              service_version:http_request_duration_seconds:p95_rate5m
              - on (service_name) group_left ()
              min without (service_version) (service_version:http_request_duration_seconds:p95_rate5m)
              > 0.25
            )
            and on (service_name, service_version)
            (
              min by (service_name, service_version) (process_start_time_seconds)
              == on (service_name) group_left ()
              max by (service_name) (min by (service_name, service_version) (process_start_time_seconds))
            )
          |||,
          'for': '5m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: '{{ $labels.service_name }} {{ $labels.service_version }} is slower than the version it replaces',
            description: |||
              The p95 latency of the new version {{ $labels.service_version }} of
              {{ $labels.service_name }} is {{ $value | humanizeDuration }} over the last 5 minutes,
              at least 1.5 times (and 0.25s above) that of a version serving beside it. Halt the
              rollout.
            |||,
            runbook_url: 'deployment.md#newversionlatencyregression',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # The deployment KPI: a deployment takes under 10 minutes (Argo Rollouts' steps and Flagger's
            # analysis in deploy/ fit in it). service:rollout_duration_seconds exists only while more
            # than one version serves.
          |||,
          alert: 'ServiceRolloutTooSlow',
          expr: 'service:rollout_duration_seconds > 600',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: '{{ $labels.service_name }}: a rollout has been running for more than 10 minutes',
            description: |||
              Two or more versions of {{ $labels.service_name }} have been serving for
              {{ $value | humanizeDuration }} since the incoming version's first instance started; a
              deployment should take under 10 minutes. The rollout is stuck, paused, or too slow.
            |||,
            runbook_url: 'deployment.md#servicerollouttooslow',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # A ticket, not a page: the rollback already restored service; the failed version needs a
            # look before it is tried again. The value is the time the rollback took (the rollback KPI:
            # under 3 minutes).
          |||,
          alert: 'ServiceRolledBack',
          expr: |||
            service:rollback_duration_seconds
            or on (service_name)
            0 * (service:rolled_back:bool == 1)
          |||,
          labels: {
            severity: 'ticket',
          },
          annotations: {
            summary: '{{ $labels.service_name }} was rolled back',
            description: |||
              The newest version of {{ $labels.service_name }} seen in the last day no longer serves
              while an older one does: a rollout was undone or a canary aborted. Bringing the older
              version back took {{ $value | humanizeDuration }} (0s: the versions never served side by
              side). Find out why before deploying that version again.
            |||,
            runbook_url: 'deployment.md#servicerolledback',
          },
        },
      ],
    },
    {
      blank:: 1,
      comment:: |||
        # Needs kube-state-metrics (these series come from it, not from the services); drop this group
        # where it is not installed, or where kubernetes-mixin's alerts already cover deployments.
        # Applies to every Deployment Prometheus sees; add a namespace matcher to narrow it.
      |||,
      name: 'plimsoll-deployment-kube-state-metrics',
      rules: [
        {
          comment:: |||
            # Replicas still on the old template, or a spec the controller has not yet observed, 10
            # minutes into a rollout: the deployment KPI, and deploy/'s progressDeadlineSeconds (600),
            # after which Kubernetes itself reports the rollout as failed.
          |||,
          alert: 'KubeDeploymentRolloutStuck',
          expr: |||
            (
              kube_deployment_spec_replicas
              - on (namespace, deployment)
              kube_deployment_status_replicas_updated
              > 0
            )
            or on (namespace, deployment)
            (
              kube_deployment_metadata_generation
              - on (namespace, deployment)
              kube_deployment_status_observed_generation
              > 0
            )
          |||,
          'for': '10m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: 'Rollout of {{ $labels.namespace }}/{{ $labels.deployment }} stuck for 10 minutes',
            description: |||
              Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had {{ $value }}
              replicas not yet updated (or generations not yet observed by the controller) for 10
              minutes.
            |||,
            runbook_url: 'deployment.md#kubedeploymentrolloutstuck',
          },
        },
        {
          blank:: 1,
          alert: 'KubeDeploymentReplicasUnavailable',
          expr: 'kube_deployment_status_replicas_unavailable > 0',
          'for': '10m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: '{{ $labels.namespace }}/{{ $labels.deployment }} has unavailable replicas',
            description: |||
              Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had {{ $value }}
              unavailable replicas for 10 minutes.
            |||,
            runbook_url: 'deployment.md#kubedeploymentreplicasunavailable',
          },
        },
        {
          blank:: 1,
          comment:: |||
            # Restarted at least 3 times in 15 minutes, or waiting in CrashLoopBackOff after a restart.
            # changes() counts the restarts exactly (increase() would extrapolate).
          |||,
          alert: 'KubePodCrashLooping',
          expr: |||
            changes(kube_pod_container_status_restarts_total[15m]) >= 3
            or on (namespace, pod, container)
            (
              changes(kube_pod_container_status_restarts_total[15m]) >= 1
              and on (namespace, pod, container)
              kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"} == 1
            )
          |||,
          'for': '5m',
          labels: {
            severity: 'warning',
          },
          annotations: {
            summary: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash-looping',
            description: |||
              Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }}
              restarted {{ $value }} times in the last 15 minutes and keeps restarting (or waits in
              CrashLoopBackOff).
            |||,
            runbook_url: 'crash-looping.md#kubepodcrashlooping',
          },
        },
      ],
    },
  ],
}
