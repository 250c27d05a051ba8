package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.Redaction;
import dev.plimsoll.ops.health.internal.HealthJson;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/** The answer to one probe: the overall status, each check's part and when it was made. */
public final class HealthReport {

  private final @Nullable HealthGroup group;
  private final HealthStatus status;
  private final @Nullable String reason;
  private final Instant timestamp;
  private final List<CheckReport> checks;

  HealthReport(
      @Nullable HealthGroup group,
      HealthStatus status,
      @Nullable String reason,
      Instant timestamp,
      List<CheckReport> checks) {
    this.group = group;
    this.status = requireNonNull(status, "status");
    this.reason = reason;
    this.timestamp = requireNonNull(timestamp, "timestamp");
    this.checks = List.copyOf(checks);
  }

  /** The probed group, or {@code null} for a report of every check. */
  public @Nullable HealthGroup group() {
    return group;
  }

  /** The overall status: the worst of the critical checks, non-critical failures as degraded. */
  public HealthStatus status() {
    return status;
  }

  /** Why the whole group is down regardless of its checks ({@code starting}, {@code draining}). */
  public @Nullable String reason() {
    return reason;
  }

  /** When the report was made. */
  public Instant timestamp() {
    return timestamp;
  }

  /** Each check's part, by name. */
  public List<CheckReport> checks() {
    return checks;
  }

  /** The HTTP status for this report: 503 when down, 200 otherwise. */
  public int httpStatus() {
    return status == HealthStatus.DOWN ? 503 : 200;
  }

  /**
   * The JSON body of the health endpoints. Details appear only when {@code showDetails}; every
   * string shown passes through {@link Redaction#url}, so credentials never appear.
   */
  public String toJson(boolean showDetails) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = HealthJson.generator(out)) {
      json.writeStartObject();
      json.writeStringProperty("status", status.name());
      if (group != null) {
        json.writeStringProperty("group", group.label());
      }
      if (reason != null) {
        json.writeStringProperty("reason", Redaction.url(reason));
      }
      json.writeStringProperty("timestamp", timestamp.toString());
      json.writeName("checks");
      json.writeStartObject();
      for (CheckReport check : checks) {
        json.writeName(check.name());
        json.writeStartObject();
        json.writeStringProperty("status", check.status().name());
        json.writeBooleanProperty("critical", check.critical());
        json.writeNumberProperty("duration_ms", check.duration().toNanos() / 1_000 / 1000.0);
        String checkReason = check.reason();
        if (checkReason != null) {
          json.writeStringProperty("reason", Redaction.url(checkReason));
        }
        if (showDetails && !check.details().isEmpty()) {
          json.writeName("details");
          HealthJson.object(json, new TreeMap<String, Object>(check.details()));
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return (group == null ? "health" : group.label())
        + " "
        + status
        + (reason == null ? "" : " (" + reason + ")")
        + " "
        + checks;
  }
}
