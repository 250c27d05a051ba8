package dev.plimsoll.ops.health;

/**
 * Names in the health contract: metrics (as Micrometer names; Prometheus scrapes {@link
 * #CHECK_STATUS} as {@code ops_health_check_status}), labels and the reasons a check or group
 * reports. {@code docs/contract.md}, the dashboards and the alerts are tested against them.
 */
public final class HealthNames {

  /** Gauge per check and group: 1 up, 0.5 degraded, 0 down; absent until the check first ran. */
  public static final String CHECK_STATUS = "ops.health.check.status";

  /** Timer per check and group: how long each run took (a timed-out run counts its timeout). */
  public static final String CHECK_DURATION = "ops.health.check.duration";

  /** Gauge per group: its status from the latest results (1 up, 0.5 degraded, 0 down). */
  public static final String GROUP_STATUS = "ops.health.status";

  /** Label: the check's name. */
  public static final String CHECK = "check";

  /** Label: the group ({@code live}, {@code ready}, {@code started}). */
  public static final String GROUP = "group";

  /** Label of {@link #CHECK_STATUS}: {@code true} or {@code false}. */
  public static final String CRITICAL = "critical";

  /** Reason: the run took longer than the check's timeout. */
  public static final String TIMEOUT = "timeout";

  /** Reason: the latest background result is older than the maximum staleness. */
  public static final String STALE = "stale";

  /** Reason: the executor refused the run (too many checks at once, or the registry is closed). */
  public static final String REJECTED = "rejected";

  /** Reason of a whole group: the service has not finished starting. */
  public static final String STARTING = "starting";

  /** Reason of the readiness group: shutdown has begun. */
  public static final String DRAINING = "draining";

  private HealthNames() {}
}
