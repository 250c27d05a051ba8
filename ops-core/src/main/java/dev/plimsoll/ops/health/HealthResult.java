package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one run of a check found: a status, a short reason when it is not up, and details (hosts,
 * pool sizes) that the endpoints show only when asked to. Immutable.
 */
public final class HealthResult {

  private static final HealthResult UP = new HealthResult(HealthStatus.UP, null, Map.of());

  private final HealthStatus status;
  private final @Nullable String reason;
  private final Map<String, Object> details;

  private HealthResult(HealthStatus status, @Nullable String reason, Map<String, Object> details) {
    this.status = requireNonNull(status, "status");
    this.reason = reason;
    this.details = details;
  }

  /** Up, with no details. */
  public static HealthResult up() {
    return UP;
  }

  /** Down, because of {@code reason} (a few words, such as {@code "connection refused"}). */
  public static HealthResult down(String reason) {
    return new HealthResult(HealthStatus.DOWN, requireNonNull(reason, "reason"), Map.of());
  }

  /** Working in part, because of {@code reason}. */
  public static HealthResult degraded(String reason) {
    return new HealthResult(HealthStatus.DEGRADED, requireNonNull(reason, "reason"), Map.of());
  }

  /** A result with any status; {@code reason} may be {@code null}. */
  public static HealthResult of(HealthStatus status, @Nullable String reason) {
    return new HealthResult(status, reason, Map.of());
  }

  /**
   * A copy with one more detail. Values are shown as JSON numbers, booleans or strings; strings
   * pass through {@link dev.plimsoll.ops.config.Redaction#url} before they are shown.
   */
  public HealthResult withDetail(String key, Object value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    Map<String, Object> copy = new LinkedHashMap<>(details);
    copy.put(key, value);
    return new HealthResult(status, reason, Collections.unmodifiableMap(copy));
  }

  /** A copy with all of {@code more} added to the details. */
  public HealthResult withDetails(Map<String, ?> more) {
    HealthResult result = this;
    for (Map.Entry<String, ?> entry : more.entrySet()) {
      result = result.withDetail(entry.getKey(), entry.getValue());
    }
    return result;
  }

  /** The status. */
  public HealthStatus status() {
    return status;
  }

  /** Why it is not up, or {@code null}. */
  public @Nullable String reason() {
    return reason;
  }

  /** The details, in the order they were added. */
  public Map<String, Object> details() {
    return details;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HealthResult other
        && status == other.status
        && Objects.equals(reason, other.reason)
        && details.equals(other.details);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, reason, details);
  }

  @Override
  public String toString() {
    return status + (reason == null ? "" : " (" + reason + ")");
  }
}
