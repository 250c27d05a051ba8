package dev.plimsoll.ops.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logback's asynchronous appender, never blocking the thread that logs, that counts what it does
 * not write: events below WARN discarded when the queue is nearly full, and any event dropped when
 * it is full. The counts are {@code ops_logging_events_dropped_total{level}}; the first loss is
 * reported once on standard error, so a lost ERROR is never silent.
 */
public class PlimsollAsyncAppender extends AsyncAppender {

  private static final LongAdder DROPPED_ERROR = new LongAdder();
  private static final LongAdder DROPPED_WARN = new LongAdder();
  private static final LongAdder DROPPED_OTHER = new LongAdder();
  private static final AtomicBoolean REPORTED = new AtomicBoolean();

  /** Creates the appender; never blocking, queue of {@link LogbackSetup#QUEUE_SIZE}. */
  public PlimsollAsyncAppender() {
    setNeverBlock(true);
    setQueueSize(LogbackSetup.QUEUE_SIZE);
    setIncludeCallerData(false);
    setMaxFlushTime(2000);
  }

  @Override
  protected void append(ILoggingEvent event) {
    int remaining = getRemainingCapacity();
    boolean discarded = remaining < getDiscardingThreshold() && isDiscardable(event);
    if (discarded || (isNeverBlock() && remaining == 0)) {
      count(event.getLevel());
    }
    super.append(event);
  }

  private void count(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      DROPPED_ERROR.increment();
    } else if (level.isGreaterOrEqual(Level.WARN)) {
      DROPPED_WARN.increment();
    } else {
      DROPPED_OTHER.increment();
    }
    if (REPORTED.compareAndSet(false, true)) {
      System.err.println(
          "plimsoll: the log queue is full; events are being dropped and counted in"
              + " ops_logging_events_dropped_total (reported once)");
    }
  }

  /** Events dropped so far at {@code level}: {@code error}, {@code warn} or {@code other}. */
  static double dropped(String level) {
    return switch (level) {
      case "error" -> DROPPED_ERROR.sum();
      case "warn" -> DROPPED_WARN.sum();
      default -> DROPPED_OTHER.sum();
    };
  }
}
