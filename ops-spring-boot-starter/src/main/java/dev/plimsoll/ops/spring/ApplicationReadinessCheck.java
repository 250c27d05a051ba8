package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.health.HealthCheck;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.health.HealthResult;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/**
 * Up once Spring Boot has accepted traffic (after the application runners, at {@code
 * ApplicationReadyEvent}), and from then on; until then the {@code started} and {@code ready}
 * probes say {@code starting}.
 */
final class ApplicationReadinessCheck implements HealthCheck {

  /** The check's name. */
  static final String NAME = "application";

  private final ApplicationAvailability availability;
  private volatile boolean ready;

  ApplicationReadinessCheck(ApplicationAvailability availability) {
    this.availability = availability;
  }

  @Override
  public HealthResult check() {
    if (ready) {
      return HealthResult.up(); // the drain, not this check, takes readiness down at shutdown
    }
    ReadinessState state = availability.getReadinessState();
    if (state == ReadinessState.ACCEPTING_TRAFFIC) {
      ready = true;
      return HealthResult.up();
    }
    return HealthResult.down(HealthNames.STARTING).withDetail("readiness_state", state.name());
  }
}
