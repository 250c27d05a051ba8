package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.health.HealthCheck;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.health.HealthResult;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/**
 * Spring Boot's readiness state as a check, so that Plimsoll's {@code ready} probe and Actuator's
 * {@code /actuator/health/readiness} read one state: down ({@code starting}) until Spring Boot
 * accepts traffic (after the application runners, at {@code ApplicationReadyEvent}), then up for as
 * long as it does; down ({@code refusing_traffic}) whenever the application or Spring Boot
 * publishes {@code REFUSING_TRAFFIC}, as Spring Boot does when the context closes.
 */
final class ApplicationReadinessCheck implements HealthCheck {

  /** The check's name. */
  static final String NAME = "application";

  /** The reason when the application refuses traffic after it was ready. */
  static final String REFUSING_TRAFFIC = "refusing_traffic";

  private final ApplicationAvailability availability;
  private volatile boolean wasReady;

  ApplicationReadinessCheck(ApplicationAvailability availability) {
    this.availability = availability;
  }

  @Override
  public HealthResult check() {
    ReadinessState state = availability.getReadinessState();
    if (state == ReadinessState.ACCEPTING_TRAFFIC) {
      wasReady = true;
      return HealthResult.up();
    }
    return HealthResult.down(wasReady ? REFUSING_TRAFFIC : HealthNames.STARTING)
        .withDetail("readiness_state", state.name());
  }
}
