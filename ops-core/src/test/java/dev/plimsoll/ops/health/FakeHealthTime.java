package dev.plimsoll.ops.health;

import dev.plimsoll.ops.health.internal.HealthTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A health clock that moves only when a test advances it: timers fire then, on the advancing
 * thread, and waits end when their future completes or the clock passes their deadline. Nothing
 * here sleeps.
 */
final class FakeHealthTime implements HealthTime {

  private final AtomicLong now = new AtomicLong();
  private final Object monitor = new Object();
  // Guarded by monitor.
  private final List<Timer> timers = new ArrayList<>();
  private long order;
  private boolean closed;

  @Override
  public long nanoTime() {
    return now.get();
  }

  @Override
  public void schedule(Runnable task, long delayNanos) {
    add(task, delayNanos, -1);
  }

  @Override
  public void scheduleWithFixedDelay(Runnable task, long initialDelayNanos, long delayNanos) {
    add(task, initialDelayNanos, delayNanos);
  }

  @Override
  public <T> T await(CompletableFuture<T> future, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    future.whenComplete((value, error) -> wakeUp());
    synchronized (monitor) {
      while (!future.isDone() && now.get() < deadlineNanos) {
        monitor.wait();
      }
    }
    if (future.isDone()) {
      return future.get();
    }
    throw new TimeoutException();
  }

  @Override
  public void close() {
    synchronized (monitor) {
      closed = true;
      timers.clear();
    }
  }

  /** Moves the clock on by {@code duration}, firing every timer due on the way, in time order. */
  void advance(Duration duration) {
    long target = now.get() + duration.toNanos();
    while (true) {
      Timer due;
      synchronized (monitor) {
        due =
            timers.stream()
                .filter(t -> t.at <= target)
                .min(Comparator.comparingLong((Timer t) -> t.at).thenComparingLong(t -> t.order))
                .orElse(null);
        if (due == null) {
          break;
        }
        timers.remove(due);
        now.set(Math.max(now.get(), due.at));
      }
      due.task.run();
      if (due.period >= 0) {
        add(due.task, due.period, due.period);
      }
      wakeUp();
    }
    now.set(target);
    wakeUp();
  }

  /** Waits until at least {@code count} one-shot timers (run timeouts) are pending. */
  void awaitTimers(int count) throws InterruptedException {
    synchronized (monitor) {
      while (timers.stream().filter(t -> t.period < 0).count() < count) {
        monitor.wait();
      }
    }
  }

  private void add(Runnable task, long delayNanos, long period) {
    synchronized (monitor) {
      if (closed) {
        throw new RejectedExecutionException("closed");
      }
      if (delayNanos > 0) {
        timers.add(new Timer(task, now.get() + delayNanos, period, order++));
        monitor.notifyAll();
        return;
      }
    }
    // Due now: run at once, as a real timer thread would start it.
    task.run();
    if (period >= 0) {
      add(task, period, period);
    }
  }

  private void wakeUp() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  private record Timer(Runnable task, long at, long period, long order) {}
}
