package dev.plimsoll.ops.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * One INFO event per request on the logger {@value LogFields#ACCESS_LOGGER}, with the request's
 * fields as key-value pairs (JSON fields in the JSON format). Request and trace IDs come from the
 * MDC, which must be set when {@link #log} is called.
 *
 * <p>With logback and no turbo filter, the event is built directly and its key-value pairs are
 * materialised only when an appender reads them, usually on the asynchronous appender's thread, so
 * the request thread pays for one event and one small object.
 */
public final class AccessLog {

  private static final String FQCN = AccessLog.class.getName();
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
    Fields fields =
        new Fields(method, route, path, status, durationNanos, clientAddress, userAgent);
    String message = method + ' ' + path + ' ' + status;
    if (LOG instanceof ch.qos.logback.classic.Logger logback
        && logback.getLoggerContext().getTurboFilterList().isEmpty()) {
      LoggingEvent event = new LoggingEvent(FQCN, logback, Level.INFO, message, null, null);
      event.setKeyValuePairs(fields);
      logback.callAppenders(event);
      return;
    }
    var builder = LOG.atInfo();
    for (KeyValuePair pair : fields) {
      builder.addKeyValue(pair.key, pair.value);
    }
    builder.log(message);
  }

  /** The request's fields, each pair built when it is read. */
  private static final class Fields extends AbstractList<KeyValuePair> implements RandomAccess {
    private final String method;
    private final String route;
    private final String path;
    private final int status;
    private final long durationNanos;
    private final String clientAddress;
    private final @Nullable String userAgent;

    Fields(
        String method,
        String route,
        String path,
        int status,
        long durationNanos,
        String clientAddress,
        @Nullable String userAgent) {
      this.method = method;
      this.route = route;
      this.path = path;
      this.status = status;
      this.durationNanos = durationNanos;
      this.clientAddress = clientAddress;
      this.userAgent = userAgent;
    }

    @Override
    public KeyValuePair get(int index) {
      return switch (index) {
        case 0 -> new KeyValuePair(LogFields.HTTP_REQUEST_METHOD, method);
        case 1 -> new KeyValuePair(LogFields.HTTP_ROUTE, route);
        case 2 -> new KeyValuePair(LogFields.URL_PATH, path);
        case 3 -> new KeyValuePair(LogFields.HTTP_RESPONSE_STATUS_CODE, status);
        case 4 ->
            new KeyValuePair(LogFields.DURATION_MS, Math.round(durationNanos / 1000.0) / 1000.0);
        case 5 -> new KeyValuePair(LogFields.CLIENT_ADDRESS, clientAddress);
        case 6 -> new KeyValuePair(LogFields.USER_AGENT, userAgent);
        default -> throw new IndexOutOfBoundsException(index);
      };
    }

    @Override
    public int size() {
      return 7;
    }
  }
}
