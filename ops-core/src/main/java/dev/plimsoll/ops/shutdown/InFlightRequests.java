package dev.plimsoll.ops.shutdown;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the requests being served, so that shutdown can wait for them. Thread-safe. */
public final class InFlightRequests {

  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong finished = new AtomicLong();

  /** Creates a counter at zero. */
  public InFlightRequests() {}

  /** A request started; call {@link #finished()} exactly once when it ends. */
  public void started() {
    active.incrementAndGet();
  }

  /** A request ended. */
  public void finished() {
    active.decrementAndGet();
    finished.incrementAndGet();
  }

  /** Requests being served now. */
  public int active() {
    return active.get();
  }

  /** Requests that have ended since the start. */
  public long finishedCount() {
    return finished.get();
  }

  /**
   * Waits until no request is being served, or {@code timeoutNanos} has passed.
   *
   * @return whether none is left
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean awaitIdle(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (active.get() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
    }
    return true;
  }
}
