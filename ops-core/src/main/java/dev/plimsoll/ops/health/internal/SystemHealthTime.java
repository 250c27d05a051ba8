package dev.plimsoll.ops.health.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link System#nanoTime()} and one daemon timer thread. Not API. */
final class SystemHealthTime implements HealthTime {

  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(1, HealthExecutors.daemonThreads("plimsoll-health-timer-"));

  SystemHealthTime() {
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void schedule(Runnable task, long delayNanos) {
    timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void scheduleWithFixedDelay(Runnable task, long initialDelayNanos, long delayNanos) {
    timer.scheduleWithFixedDelay(task, initialDelayNanos, delayNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public <T> T await(CompletableFuture<T> future, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(Math.max(deadlineNanos - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
