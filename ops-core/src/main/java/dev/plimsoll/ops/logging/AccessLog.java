package dev.plimsoll.ops.logging;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO event per request on the logger {@value LogFields#ACCESS_LOGGER}, with the request's
 * fields as key-value pairs (JSON fields in the JSON format). Request and trace IDs come from the
 * MDC, which must be set when {@link #log} is called.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger(LogFields.ACCESS_LOGGER);

  private final boolean enabled;
  private final List<String> excludedPrefixes;

  /**
   * Creates the access log.
   *
   * @param enabled whether anything is logged at all
   * @param excludedPrefixes path prefixes never logged, such as {@code /health}
   */
  public AccessLog(boolean enabled, List<String> excludedPrefixes) {
    this.enabled = enabled;
    this.excludedPrefixes = List.copyOf(excludedPrefixes);
  }

  /** Whether a request to {@code path} is logged. */
  public boolean isLogged(String path) {
    if (!enabled || !LOG.isInfoEnabled()) {
      return false;
    }
    for (String prefix : excludedPrefixes) {
      if (path.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }

  /** Logs one finished request. */
  public void log(
      String method,
      String route,
      String path,
      int status,
      long durationNanos,
      String clientAddress,
      @Nullable String userAgent) {
    double millis = durationNanos / 1_000_000.0;
    LOG.atInfo()
        .addKeyValue(LogFields.HTTP_REQUEST_METHOD, method)
        .addKeyValue(LogFields.HTTP_ROUTE, route)
        .addKeyValue(LogFields.URL_PATH, path)
        .addKeyValue(LogFields.HTTP_RESPONSE_STATUS_CODE, status)
        .addKeyValue(LogFields.DURATION_MS, Math.round(millis * 1000.0) / 1000.0)
        .addKeyValue(LogFields.CLIENT_ADDRESS, clientAddress)
        .addKeyValue(LogFields.USER_AGENT, userAgent)
        .log("{} {} {}", method, path, status);
  }
}
