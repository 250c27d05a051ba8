package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.Redaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

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
    StringBuilder json = new StringBuilder(256);
    json.append("{\"status\":");
    Json.string(json, status.name());
    if (group != null) {
      json.append(",\"group\":");
      Json.string(json, group.label());
    }
    if (reason != null) {
      json.append(",\"reason\":");
      Json.string(json, Redaction.url(reason));
    }
    json.append(",\"timestamp\":");
    Json.string(json, timestamp.toString());
    json.append(",\"checks\":{");
    boolean first = true;
    for (CheckReport check : checks) {
      if (!first) {
        json.append(',');
      }
      first = false;
      Json.string(json, check.name());
      json.append(":{\"status\":");
      Json.string(json, check.status().name());
      json.append(",\"critical\":").append(check.critical());
      json.append(",\"duration_ms\":").append(check.duration().toNanos() / 1_000 / 1000.0);
      if (check.reason() != null) {
        json.append(",\"reason\":");
        Json.string(json, Redaction.url(check.reason()));
      }
      if (showDetails && !check.details().isEmpty()) {
        json.append(",\"details\":");
        Json.object(json, new TreeMap<String, Object>(check.details()));
      }
      json.append('}');
    }
    return json.append("}}").toString();
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

  /** A minimal JSON writer for the report's strings, numbers, booleans and nested maps. */
  private static final class Json {
    private Json() {}

    static void object(StringBuilder json, Map<String, Object> map) {
      json.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> entry : map.entrySet()) {
        if (!first) {
          json.append(',');
        }
        first = false;
        string(json, entry.getKey());
        json.append(':');
        value(json, entry.getValue());
      }
      json.append('}');
    }

    static void value(StringBuilder json, @Nullable Object value) {
      if (value == null) {
        json.append("null");
      } else if (value instanceof Boolean
          || value instanceof Integer
          || value instanceof Long
          || value instanceof Short) {
        json.append(value);
      } else if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
        json.append(number.doubleValue());
      } else if (value instanceof Map<?, ?> map) {
        TreeMap<String, Object> sorted = new TreeMap<>();
        map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
        object(json, sorted);
      } else if (value instanceof Iterable<?> items) {
        json.append('[');
        boolean first = true;
        for (Object item : items) {
          if (!first) {
            json.append(',');
          }
          first = false;
          value(json, item);
        }
        json.append(']');
      } else {
        string(json, Redaction.url(String.valueOf(value)));
      }
    }

    static void string(StringBuilder json, String text) {
      json.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"' -> json.append("\\\"");
          case '\\' -> json.append("\\\\");
          case '\n' -> json.append("\\n");
          case '\r' -> json.append("\\r");
          case '\t' -> json.append("\\t");
          default -> {
            if (c < 0x20 || c == 0x2028 || c == 0x2029) {
              json.append(String.format("\\u%04x", (int) c));
            } else {
              json.append(c);
            }
          }
        }
      }
      json.append('"');
    }
  }
}
