package dev.plimsoll.ops.logging;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/** Publishes the events {@link PlimsollAsyncAppender} could not write, by level. */
public final class DroppedLogEvents implements MeterBinder {

  /** The counter's Micrometer name; scraped as {@code ops_logging_events_dropped_total}. */
  public static final String NAME = "ops.logging.events.dropped";

  /** Its label: {@code error}, {@code warn} or {@code other}. */
  public static final String LEVEL = "level";

  /** Creates the binder. */
  public DroppedLogEvents() {}

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String level : List.of("error", "warn", "other")) {
      FunctionCounter.builder(NAME, level, PlimsollAsyncAppender::dropped)
          .description("Log events the asynchronous appender dropped because its queue was full.")
          .tag(LEVEL, level)
          .register(registry);
    }
  }
}
