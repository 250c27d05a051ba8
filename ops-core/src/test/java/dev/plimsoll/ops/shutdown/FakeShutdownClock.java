package dev.plimsoll.ops.shutdown;

import dev.plimsoll.ops.shutdown.internal.ShutdownClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shutdown clock that moves only when slept on or advanced: a sleep returns at once, the clock
 * that much later, and the events due on the way (a request finishing) run then. A wait for a
 * closer ends when it is done, or, if the clock passes the deadline first, as timed out. Nothing
 * here sleeps.
 */
final class FakeShutdownClock implements ShutdownClock {

  private final AtomicLong now = new AtomicLong();
  private final Object monitor = new Object();
  // Guarded by monitor.
  private final List<Event> events = new ArrayList<>();
  private long order;

  @Override
  public long nanoTime() {
    return now.get();
  }

  @Override
  public void sleep(long nanos) {
    advance(Duration.ofNanos(Math.max(nanos, 0)));
  }

  @Override
  public boolean awaitUntil(CompletableFuture<?> task, long deadlineNanos)
      throws InterruptedException {
    task.whenComplete((value, error) -> wakeUp());
    synchronized (monitor) {
      while (true) {
        // The deadline first: a closer that moved the clock past it took too long, even if it
        // has returned by the time this thread looks.
        if (now.get() >= deadlineNanos) {
          return false;
        }
        if (task.isDone()) {
          return true;
        }
        monitor.wait();
      }
    }
  }

  /** Runs {@code event} once the clock has moved {@code delay} from now. */
  void at(Duration delay, Runnable event) {
    synchronized (monitor) {
      events.add(new Event(now.get() + delay.toNanos(), order++, event));
    }
  }

  /** Moves the clock on by {@code duration}, running the events due on the way, in time order. */
  void advance(Duration duration) {
    long target = now.get() + duration.toNanos();
    while (true) {
      Event due;
      synchronized (monitor) {
        due =
            events.stream()
                .filter(e -> e.at <= target)
                .min(Comparator.comparingLong((Event e) -> e.at).thenComparingLong(e -> e.order))
                .orElse(null);
        if (due == null) {
          break;
        }
        events.remove(due);
        now.set(Math.max(now.get(), due.at));
      }
      due.action.run();
    }
    now.set(target);
    wakeUp();
  }

  private void wakeUp() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  private record Event(long at, long order, Runnable action) {}
}
