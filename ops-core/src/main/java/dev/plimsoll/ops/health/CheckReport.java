package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One check's part of a {@link HealthReport}.
 *
 * @param name the check's name
 * @param status its reported status (after flap damping, staleness and timeouts)
 * @param critical whether its failure takes the group down
 * @param duration how long its latest run took
 * @param reason why it is not up, or {@code null}
 * @param details its details, shown only when the endpoint is told to
 */
public record CheckReport(
    String name,
    HealthStatus status,
    boolean critical,
    Duration duration,
    @Nullable String reason,
    Map<String, Object> details) {

  /** Checks and copies the parts. */
  public CheckReport {
    requireNonNull(name, "name");
    requireNonNull(status, "status");
    requireNonNull(duration, "duration");
    details = Map.copyOf(details);
  }
}
