package dev.plimsoll.ops.logging.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.logging.LogFields;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the request, trace and span IDs in the MDC, under the configured field names, so every line
 * logged while a request is served carries them; and takes them out again.
 */
public final class LogCorrelation {

  private final String traceIdField;
  private final String spanIdField;

  /** Uses the given MDC keys for the trace and span IDs. */
  public LogCorrelation(String traceIdField, String spanIdField) {
    this.traceIdField = requireNonNull(traceIdField, "traceIdField");
    this.spanIdField = requireNonNull(spanIdField, "spanIdField");
  }

  /** Sets the IDs of the current request on this thread; {@code null} IDs are left out. */
  public void put(String requestId, @Nullable String traceId, @Nullable String spanId) {
    MDC.put(LogFields.REQUEST_ID, requestId);
    if (traceId != null) {
      MDC.put(traceIdField, traceId);
    }
    if (spanId != null) {
      MDC.put(spanIdField, spanId);
    }
  }

  /** Removes the IDs from this thread. */
  public void clear() {
    MDC.remove(LogFields.REQUEST_ID);
    MDC.remove(traceIdField);
    MDC.remove(spanIdField);
  }

  /** The MDC key of the trace ID. */
  public String traceIdField() {
    return traceIdField;
  }

  /** The MDC key of the span ID. */
  public String spanIdField() {
    return spanIdField;
  }
}
