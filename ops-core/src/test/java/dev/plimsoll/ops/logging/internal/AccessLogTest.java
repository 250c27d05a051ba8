package dev.plimsoll.ops.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.logging.LogFields;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The access log's own path into logback beside turbo filters, above all Micrometer's {@code
 * LogbackMetrics}, which every service with metrics on has.
 */
class AccessLogTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger accessLogger = context.getLogger(LogFields.ACCESS_LOGGER);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeEach
  void capture() {
    events.setContext(context);
    events.start();
    accessLogger.addAppender(events);
    accessLogger.setAdditive(false);
  }

  @AfterEach
  void release() {
    accessLogger.detachAppender(events);
    accessLogger.setAdditive(true);
    accessLogger.setLevel(null);
  }

  private static void logOne() {
    new AccessLog(true)
        .log(
            RequestFacts.of("GET", "http", "/orders/1", "localhost", 8080, "10.0.0.1", "curl/8"),
            "/orders/{id}",
            200,
            1_500_000);
  }

  @Test
  void besideMicrometersTurboFilterTheEventKeepsItsLazyFieldsAndIsCountedOnce() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LogbackMetrics metrics = new LogbackMetrics()) {
      metrics.bindTo(registry);
      assertThat(context.getTurboFilterList()).isNotEmpty();
      double before = registry.get("logback.events").tag("level", "info").functionCounter().count();

      logOne();

      assertThat(events.list)
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.getFormattedMessage()).isEqualTo("GET /orders/1 200");
                // The request's own list of pairs, built when read: not the fluent API's copy.
                assertThat(event.getKeyValuePairs().getClass().getEnclosingClass())
                    .isEqualTo(AccessLog.class);
                assertThat(event.getKeyValuePairs())
                    .extracting(pair -> pair.key)
                    .contains(LogFields.HTTP_ROUTE, LogFields.URL_PATH);
              });
      assertThat(registry.get("logback.events").tag("level", "info").functionCounter().count())
          .isEqualTo(before + 1);
    }
  }

  @Test
  void aTurboFilterThatAcceptsLogsBelowTheLevelAndNeutralOnesLeaveTheLevelToDecide() {
    accessLogger.setLevel(Level.WARN);
    Decide neutral = new Decide(FilterReply.NEUTRAL);
    context.addTurboFilter(neutral);
    try {
      logOne();
      assertThat(events.list).isEmpty();
      assertThat(neutral.messages).isEqualTo(1);

      neutral.reply = FilterReply.ACCEPT;
      logOne();
      assertThat(events.list).singleElement();
    } finally {
      context.getTurboFilterList().remove(neutral);
    }
  }

  /** A turbo filter with a settable reply, counting the messages it was asked about. */
  private static final class Decide extends TurboFilter {
    private FilterReply reply;
    private int messages;

    Decide(FilterReply reply) {
      this.reply = reply;
      start();
    }

    @Override
    public FilterReply decide(
        @Nullable Marker marker,
        Logger logger,
        Level level,
        @Nullable String format,
        Object @Nullable [] params,
        @Nullable Throwable t) {
      if (format != null && logger.getName().equals(LogFields.ACCESS_LOGGER)) {
        messages++;
      }
      return reply;
    }
  }
}
