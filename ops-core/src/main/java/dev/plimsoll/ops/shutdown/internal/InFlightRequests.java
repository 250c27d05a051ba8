package dev.plimsoll.ops.shutdown.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.shutdown.ShutdownCoordinator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Counts the requests being served, so that shutdown can wait for them. Thread-safe. */
public final class InFlightRequests {

  // Requests end on many threads and shutdown waits rarely: a short poll costs nothing per request,
  // where a signal would cost every request a lock.
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private static final AtomicReference<Function<ShutdownCoordinator, InFlightRequests>>
      OF_COORDINATOR = new AtomicReference<>();

  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong finished = new AtomicLong();

  /** Creates a counter at zero. */
  public InFlightRequests() {}

  /** The requests {@code shutdown} waits for, so that a server adapter counts into that one. */
  public static InFlightRequests of(ShutdownCoordinator shutdown) {
    requireNonNull(shutdown, "shutdown");
    // Set by ShutdownCoordinator's static initializer, which has run since an instance exists.
    return requireNonNull(OF_COORDINATOR.get(), "ShutdownCoordinator is not initialised")
        .apply(shutdown);
  }

  /**
   * How {@link #of(ShutdownCoordinator)} reaches a coordinator's counter without a public accessor
   * on the coordinator; called once, by {@link ShutdownCoordinator}.
   *
   * @throws IllegalStateException if it was already set
   */
  public static void provideCoordinatorAccess(
      Function<ShutdownCoordinator, InFlightRequests> access) {
    requireNonNull(access, "access");
    if (!OF_COORDINATOR.compareAndSet(null, access)) {
      throw new IllegalStateException("coordinator access is already set");
    }
  }

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
  public boolean awaitIdle(long timeoutNanos) throws InterruptedException {
    return awaitIdle(timeoutNanos, ShutdownClock.system());
  }

  /**
   * Waits as {@link #awaitIdle(long)} does, by {@code clock}: the shutdown sequence passes its own,
   * so that its tests need no real sleeps.
   *
   * @return whether none is left
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitIdle(long timeoutNanos, ShutdownClock clock) throws InterruptedException {
    long deadline = clock.nanoTime() + timeoutNanos;
    while (active.get() > 0) {
      long left = deadline - clock.nanoTime();
      if (left <= 0) {
        return false;
      }
      clock.sleep(Math.min(left, POLL_NANOS));
    }
    return true;
  }
}
