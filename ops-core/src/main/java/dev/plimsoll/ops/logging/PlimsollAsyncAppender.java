package dev.plimsoll.ops.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import dev.plimsoll.ops.logging.internal.BatchedAppender;
import dev.plimsoll.ops.logging.internal.LogPipeline;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous appender that never blocks the thread that logs and counts what it does not
 * write: events below WARN discarded once the queue is nearly full (the last fifth by default), and
 * any event dropped when it is full. The counts are {@code
 * ops_logging_events_dropped_total{level}}, kept by each appender for itself (the meter adds up the
 * appenders attached in the logger context); each appender reports its first loss once on standard
 * error, so a lost ERROR is never silent.
 *
 * <p>Attach the appenders that write (a console appender, say) as with logback's {@code
 * AsyncAppender}. One worker thread writes them in batches, at most 20 ms after they are logged.
 * The queue is a linked queue: a thread that logs takes only its tail lock and reads its size
 * without a lock, so it does not contend with the worker that empties it, and never has to wake the
 * worker. The worker takes up to 256 events at a time and tells the appenders that write in batches
 * (Plimsoll's standard output) when each batch ends, so that they write its lines with one system
 * call; every other appender writes each event as it gets it.
 */
public class PlimsollAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {

  private static final int BATCH = 256;
  private static final long MIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
  private final LongAdder droppedErrors = new LongAdder();
  private final LongAdder droppedWarnings = new LongAdder();
  private final LongAdder droppedOthers = new LongAdder();
  private final AtomicBoolean reported = new AtomicBoolean();
  private int queueSize = LogPipeline.QUEUE_SIZE;
  private int discardingThreshold = -1;
  private boolean includeCallerData;
  private int maxFlushTime = 2000;
  private @Nullable LinkedBlockingQueue<ILoggingEvent> queue;
  private @Nullable Thread worker;

  /** Creates the appender with a queue of 8,192 events. */
  public PlimsollAsyncAppender() {}

  /** Sets how many events the queue holds; must be positive. */
  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** The queue's capacity. */
  public int getQueueSize() {
    return queueSize;
  }

  /**
   * Sets how many free places the queue keeps for WARN and ERROR events: below WARN, events are
   * discarded once fewer are left; 0 discards none early; the default is a fifth of the queue.
   */
  public void setDiscardingThreshold(int discardingThreshold) {
    this.discardingThreshold = discardingThreshold;
  }

  /** Whether the caller's class and line are captured (costly; off by default). */
  public void setIncludeCallerData(boolean includeCallerData) {
    this.includeCallerData = includeCallerData;
  }

  /** Sets how long {@link #stop()} waits for queued events to be written, in milliseconds. */
  public void setMaxFlushTime(int maxFlushTime) {
    this.maxFlushTime = maxFlushTime;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (queueSize < 1) {
      addError("Invalid queue size [" + queueSize + "]");
      return;
    }
    if (!appenders.iteratorForAppenders().hasNext()) {
      addError("No attached appenders found.");
      return;
    }
    if (discardingThreshold < 0) {
      discardingThreshold = queueSize / 5;
    }
    LinkedBlockingQueue<ILoggingEvent> events = new LinkedBlockingQueue<>(queueSize);
    queue = events;
    Thread thread = new Thread(() -> work(events), "plimsoll-log-writer-" + getName());
    thread.setDaemon(true);
    worker = thread;
    for (Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof BatchedAppender batched) {
        batched.batchedBy(thread);
      }
    }
    super.start();
    thread.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    LinkedBlockingQueue<ILoggingEvent> events = queue;
    if (events == null) {
      return;
    }
    if (queueSize - events.size() < discardingThreshold && isDiscardable(event)) {
      count(event.getLevel());
      return;
    }
    event.prepareForDeferredProcessing();
    if (includeCallerData) {
      event.getCallerData();
    }
    if (!events.offer(event)) {
      count(event.getLevel());
    }
  }

  /**
   * Stops taking events, writes those queued within {@code maxFlushTime} milliseconds, then stops
   * the attached appenders (which write what they still hold).
   */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    Thread thread = worker;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(maxFlushTime);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        addWarn(
            "Stopped after "
                + maxFlushTime
                + " ms with "
                + (queue == null ? 0 : queue.size())
                + " events unwritten");
      }
    }
  }

  private void work(LinkedBlockingQueue<ILoggingEvent> events) {
    List<ILoggingEvent> batch = new ArrayList<>(BATCH);
    long idle = MIN_IDLE_NANOS;
    while (isStarted() || !events.isEmpty()) {
      if (events.drainTo(batch, BATCH) == 0) {
        // The worker polls rather than waits on the queue, so that a thread that logs never has
        // to wake it: on a busy core that wake-up would cost more than writing the event.
        LockSupport.parkNanos(this, idle);
        Thread.interrupted(); // only stop() ends the worker, so no queued event is lost
        idle = Math.min(idle * 2, MAX_IDLE_NANOS);
        continue;
      }
      idle = MIN_IDLE_NANOS;
      for (ILoggingEvent event : batch) {
        appenders.appendLoopOnAppenders(event);
      }
      batch.clear();
      endBatch();
    }
    appenders.detachAndStopAllAppenders();
  }

  private void endBatch() {
    for (Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof BatchedAppender batched) {
        batched.endOfBatch();
      }
    }
  }

  private static boolean isDiscardable(ILoggingEvent event) {
    return event.getLevel().toInt() <= Level.INFO_INT;
  }

  private void count(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      droppedErrors.increment();
    } else if (level.isGreaterOrEqual(Level.WARN)) {
      droppedWarnings.increment();
    } else {
      droppedOthers.increment();
    }
    if (reported.compareAndSet(false, true)) {
      // Standard error, not logback's status list: the status list is printed only on errors
      // of the configuration, and a full queue is not one.
      System.err.println(
          "plimsoll: the log queue of appender "
              + getName()
              + " is full; events are being dropped and counted in"
              + " ops_logging_events_dropped_total (reported once)");
    }
  }

  /**
   * Events this appender has dropped since it was created, counted by the level they were logged
   * at: ERROR (and above), WARN, or every level below WARN together, as the {@code level} label of
   * {@code ops_logging_events_dropped_total} counts them.
   */
  public long getDroppedCount(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      return droppedErrors.sum();
    }
    return level.isGreaterOrEqual(Level.WARN) ? droppedWarnings.sum() : droppedOthers.sum();
  }

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
    Thread thread = worker;
    if (thread != null && appender instanceof BatchedAppender batched) {
      batched.batchedBy(thread);
    }
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  @Override
  public @Nullable Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
