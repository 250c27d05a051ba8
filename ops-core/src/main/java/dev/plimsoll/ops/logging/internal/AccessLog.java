package dev.plimsoll.ops.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.TurboFilterList;
import ch.qos.logback.core.spi.FilterReply;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.logging.LogFields;
import java.util.AbstractList;
import java.util.RandomAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * One INFO event per request on the logger {@value LogFields#ACCESS_LOGGER}, with the request's
 * fields as key-value pairs (JSON fields in the JSON format). Request and trace IDs come from the
 * MDC, which must be set when {@link #log} is called.
 *
 * <p>With logback, the event is built directly and its key-value pairs are materialised only when
 * an appender reads them, usually on the asynchronous appender's thread, so the request thread pays
 * for one event and one small object. Logback's turbo filters decide first, as logback's own logger
 * asks them for a message (Micrometer's {@code LogbackMetrics}, which counts {@code
 * logback_events_total}, is one, so with metrics on there always is a turbo filter): a filter that
 * denies drops the event, one that accepts logs it whatever the level. Other SLF4J back ends get
 * the fluent API.
 */
public final class AccessLog {

  private static final String FQCN = AccessLog.class.getName();
  private static final Logger LOG = LoggerFactory.getLogger(LogFields.ACCESS_LOGGER);

  private final boolean enabled;

  /**
   * Creates the access log.
   *
   * @param enabled whether anything is logged at all
   */
  public AccessLog(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether requests are logged at all: enabled, and the access logger at INFO. */
  public boolean isEnabled() {
    return enabled && LOG.isInfoEnabled();
  }

  /** Logs one finished request. */
  public void log(RequestFacts request, String route, int status, long durationNanos) {
    Fields fields = new Fields(request, route, status, durationNanos);
    String message = request.method() + ' ' + request.path() + ' ' + status;
    if (LOG instanceof ch.qos.logback.classic.Logger logback) {
      if (decidedAgainst(logback, message)) {
        return;
      }
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

  /**
   * Whether logback would not log {@code message} at INFO: its turbo filters deny it, or none
   * accepts it and INFO is below the logger's level (the decision of logback's {@code Logger}).
   */
  private static boolean decidedAgainst(ch.qos.logback.classic.Logger logback, String message) {
    TurboFilterList turbo = logback.getLoggerContext().getTurboFilterList();
    FilterReply decision =
        turbo.isEmpty()
            ? FilterReply.NEUTRAL
            : turbo.getTurboFilterChainDecision(null, logback, Level.INFO, message, null, null);
    return decision == FilterReply.DENY
        || (decision == FilterReply.NEUTRAL
            && logback.getEffectiveLevel().levelInt > Level.INFO_INT);
  }

  /** The request's fields, each pair built when it is read. */
  private static final class Fields extends AbstractList<KeyValuePair> implements RandomAccess {
    private final RequestFacts request;
    private final String route;
    private final int status;
    private final long durationNanos;

    Fields(RequestFacts request, String route, int status, long durationNanos) {
      this.request = request;
      this.route = route;
      this.status = status;
      this.durationNanos = durationNanos;
    }

    @Override
    public KeyValuePair get(int index) {
      return switch (index) {
        case 0 -> new KeyValuePair(LogFields.HTTP_REQUEST_METHOD, request.method());
        case 1 -> new KeyValuePair(LogFields.HTTP_ROUTE, route);
        case 2 -> new KeyValuePair(LogFields.URL_PATH, request.path());
        case 3 -> new KeyValuePair(LogFields.HTTP_RESPONSE_STATUS_CODE, status);
        case 4 ->
            new KeyValuePair(LogFields.DURATION_MS, Math.round(durationNanos / 1000.0) / 1000.0);
        case 5 -> new KeyValuePair(LogFields.CLIENT_ADDRESS, request.clientAddress());
        case 6 -> new KeyValuePair(LogFields.USER_AGENT, request.userAgent());
        default -> throw new IndexOutOfBoundsException(index);
      };
    }

    @Override
    public int size() {
      return 7;
    }
  }
}
