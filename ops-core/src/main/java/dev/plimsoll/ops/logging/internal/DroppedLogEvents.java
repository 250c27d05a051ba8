package dev.plimsoll.ops.logging.internal;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.AppenderAttachable;
import dev.plimsoll.ops.logging.PlimsollAsyncAppender;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Publishes the events the {@link PlimsollAsyncAppender}s of a logger context could not write, by
 * level: the sum over the appenders attached when Prometheus scrapes, so an appender counts once
 * however many loggers it is attached to, and a reconfiguration that replaces the appenders starts
 * the count again (Prometheus reads it as a counter reset, as after a restart). Not API.
 */
public final class DroppedLogEvents implements MeterBinder {

  /** The counter's Micrometer name; scraped as {@code ops_logging_events_dropped_total}. */
  public static final String NAME = "ops.logging.events.dropped";

  /** Its label: {@code error}, {@code warn} or {@code other}. */
  public static final String LEVEL = "level";

  private static final Map<String, Level> LEVELS =
      Map.of("error", Level.ERROR, "warn", Level.WARN, "other", Level.INFO);

  /** What the counters read when SLF4J is bound to another backend: always zero. */
  private static final Object NO_CONTEXT = new Object();

  private final @Nullable LoggerContext context;

  private DroppedLogEvents(@Nullable LoggerContext context) {
    this.context = context;
  }

  /** Counts the appenders of {@code context}. */
  public static DroppedLogEvents of(LoggerContext context) {
    return new DroppedLogEvents(requireNonNull(context, "context"));
  }

  /**
   * Counts the appenders of SLF4J's logger context; the counters stay at zero when SLF4J is bound
   * to another backend, so the series the contract names always exist.
   */
  public static DroppedLogEvents ofDefaultContext() {
    return new DroppedLogEvents(
        LoggerFactory.getILoggerFactory() instanceof LoggerContext context ? context : null);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    LoggerContext loggers = context;
    LEVELS.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            entry -> {
              Level level = entry.getValue();
              // Micrometer keeps only a weak reference to the counted object, and nothing keeps
              // this binder: the counters read the logger context (which the logging system
              // keeps), so that a collection never stops them counting.
              FunctionCounter.Builder<?> counter =
                  loggers == null
                      ? FunctionCounter.builder(NAME, NO_CONTEXT, none -> 0)
                      : FunctionCounter.builder(NAME, loggers, c -> dropped(c, level));
              counter
                  .description(
                      "Log events the asynchronous appender dropped because its queue was full.")
                  .tag(LEVEL, entry.getKey())
                  .register(registry);
            });
  }

  /** The events dropped at {@code level} by every Plimsoll appender attached in {@code loggers}. */
  private static long dropped(LoggerContext loggers, Level level) {
    Set<Appender<ILoggingEvent>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    long total = 0;
    for (Logger logger : loggers.getLoggerList()) {
      total += dropped(logger, level, seen);
    }
    return total;
  }

  private static long dropped(
      AppenderAttachable<ILoggingEvent> parent, Level level, Set<Appender<ILoggingEvent>> seen) {
    long total = 0;
    for (Iterator<Appender<ILoggingEvent>> it = parent.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> appender = it.next();
      if (!seen.add(appender)) {
        continue;
      }
      if (appender instanceof PlimsollAsyncAppender async) {
        total += async.getDroppedCount(level);
      }
      // An appender may sit behind another that forwards to it (a sifting or filtering wrapper).
      if (appender instanceof AppenderAttachable<?>) {
        @SuppressWarnings("unchecked")
        AppenderAttachable<ILoggingEvent> nested = (AppenderAttachable<ILoggingEvent>) appender;
        total += dropped(nested, level, seen);
      }
    }
    return total;
  }
}
