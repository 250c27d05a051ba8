package dev.plimsoll.ops.health.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The time health checks run by: a monotonic nanosecond clock, timers on it (run timeouts,
 * background refreshes) and waits bounded by it. Injected so that tests drive timeouts, the cache
 * and staleness with a fake clock instead of sleeping. Not API.
 */
public interface HealthTime extends AutoCloseable {

  /** The real clock, with its own timer thread; {@link #close()} stops it. */
  static HealthTime system() {
    return new SystemHealthTime();
  }

  /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs {@code task} once, {@code delayNanos} from now.
   *
   * @throws RejectedExecutionException once closed
   */
  void schedule(Runnable task, long delayNanos);

  /**
   * Runs {@code task} {@code initialDelayNanos} from now, then again {@code delayNanos} after each
   * run ends.
   *
   * @throws RejectedExecutionException once closed
   */
  void scheduleWithFixedDelay(Runnable task, long initialDelayNanos, long delayNanos);

  /**
   * Waits for {@code future} until this clock reaches {@code deadlineNanos}.
   *
   * @throws TimeoutException if the deadline came first
   * @throws ExecutionException if the future failed
   * @throws InterruptedException if the waiting thread is interrupted
   */
  <T> T await(CompletableFuture<T> future, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException;

  /** Stops the timers; later {@code schedule} calls are rejected. Idempotent. */
  @Override
  void close();
}
