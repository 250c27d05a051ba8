package dev.plimsoll.ops.shutdown.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link System#nanoTime()} and real sleeps. Not API. */
final class SystemShutdownClock implements ShutdownClock {

  static final SystemShutdownClock INSTANCE = new SystemShutdownClock();

  private SystemShutdownClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleep(long nanos) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(nanos);
  }

  @Override
  public boolean awaitUntil(CompletableFuture<?> task, long deadlineNanos)
      throws InterruptedException {
    try {
      task.get(Math.max(deadlineNanos - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return task.isDone();
    } catch (ExecutionException e) {
      return true;
    }
  }
}
