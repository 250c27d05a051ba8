package dev.plimsoll.ops.health;

/** The outcome of a check or of a group of checks, from best to worst. */
public enum HealthStatus {
  /** Working. */
  UP(1.0),
  /** Working in part; the service still takes traffic (HTTP 200). */
  DEGRADED(0.5),
  /** Not working; a group that is down answers HTTP 503. */
  DOWN(0.0);

  private final double gaugeValue;

  HealthStatus(double gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  /** The value of {@code ops_health_check_status}: 1 up, 0.5 degraded, 0 down. */
  public double gaugeValue() {
    return gaugeValue;
  }

  /** The worse of this and {@code other}. */
  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
