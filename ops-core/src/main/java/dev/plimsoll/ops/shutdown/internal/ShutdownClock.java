package dev.plimsoll.ops.shutdown.internal;

import java.util.concurrent.CompletableFuture;

/**
 * The time the shutdown sequence runs by: a monotonic nanosecond clock, a sleep, and a wait for a
 * task bounded by that clock. Injected so that tests drive the sequence with a fake clock instead
 * of sleeping. Not API.
 */
public interface ShutdownClock {

  /** The real clock: {@link System#nanoTime()} and real sleeps. */
  static ShutdownClock system() {
    return SystemShutdownClock.INSTANCE;
  }

  /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Sleeps for {@code nanos} of this clock.
   *
   * @throws InterruptedException if the sleeping thread is interrupted
   */
  void sleep(long nanos) throws InterruptedException;

  /**
   * Waits until {@code task} is done or this clock reaches {@code deadlineNanos}, whichever comes
   * first.
   *
   * @return whether the task is done
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean awaitUntil(CompletableFuture<?> task, long deadlineNanos) throws InterruptedException;
}
