package dev.plimsoll.ops.health.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.Redaction;
import dev.plimsoll.ops.health.HealthCheck;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.health.HealthResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Runs one check: on the shared executor, bounded by its timeout, and at most one run at a time,
 * which every caller asking meanwhile shares. A run that outlives its timeout is interrupted, and
 * while it still holds a thread no other is started. Its state is guarded by the owning check's
 * lock, so that deciding from the cache and starting a run are one step. Not API.
 */
final class CheckRunner {

  /** How much longer than the timeout a probe waits, should the timer itself be late. */
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final HealthCheck check;
  private final long timeoutNanos;
  private final ExecutorService executor;
  private final HealthTime time;
  private final Object lock;
  private final UnaryOperator<Outcome> accept;
  // Guarded by lock.
  private @Nullable CompletableFuture<Outcome> inFlight;
  private boolean taskRunning;

  /**
   * A runner whose every outcome passes through {@code accept} (called holding {@code lock}) before
   * its callers see it.
   */
  CheckRunner(
      HealthCheck check,
      long timeoutNanos,
      ExecutorService executor,
      HealthTime time,
      Object lock,
      UnaryOperator<Outcome> accept) {
    this.check = requireNonNull(check, "check");
    this.timeoutNanos = timeoutNanos;
    this.executor = requireNonNull(executor, "executor");
    this.time = requireNonNull(time, "time");
    this.lock = requireNonNull(lock, "lock");
    this.accept = requireNonNull(accept, "accept");
  }

  /** Whether a run is under way. The caller holds the lock. */
  boolean underWay() {
    return inFlight != null;
  }

  /** Starts a run, or returns the one under way. The caller holds the lock. */
  CompletableFuture<Outcome> start() {
    if (inFlight != null) {
      return inFlight;
    }
    long begin = time.nanoTime();
    if (taskRunning) {
      // The previous run outlived its timeout and still holds a thread: start no other.
      return CompletableFuture.completedFuture(accept.apply(timedOut(begin)));
    }
    CompletableFuture<Outcome> raw = new CompletableFuture<>();
    Future<?> task;
    // Claimed once: by the task as it begins, or by the timeout while it is still queued.
    AtomicBoolean claimed = new AtomicBoolean();
    try {
      taskRunning = true;
      task =
          executor.submit(
              () -> {
                if (claimed.compareAndSet(false, true)) {
                  run(raw, begin);
                }
              });
    } catch (RejectedExecutionException e) {
      taskRunning = false;
      return CompletableFuture.completedFuture(
          accept.apply(new Outcome(HealthResult.down(HealthNames.REJECTED), begin, 0)));
    }
    try {
      time.schedule(
          () -> {
            if (raw.complete(timedOut(time.nanoTime()))) {
              if (claimed.compareAndSet(false, true)) {
                // Timed out still queued: it never runs and holds no thread, so the next may start.
                task.cancel(false);
                synchronized (lock) {
                  taskRunning = false;
                }
              } else {
                task.cancel(true);
              }
            }
          },
          timeoutNanos);
    } catch (RejectedExecutionException e) {
      task.cancel(true);
    }
    CompletableFuture<Outcome> accepted = raw.thenApply(this::finish);
    if (!accepted.isDone()) { // a run that already ended has been accepted on this thread
      inFlight = accepted;
    }
    return accepted;
  }

  /**
   * Waits for {@code run}, which a probe asked for at {@code probeStart}: at most the timeout and a
   * grace from then.
   */
  Outcome await(CompletableFuture<Outcome> run, long probeStart) {
    try {
      return time.await(run, probeStart + timeoutNanos + GRACE_NANOS);
    } catch (TimeoutException e) {
      return timedOut(time.nanoTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(HealthResult.down("interrupted"), time.nanoTime(), 0);
    } catch (ExecutionException e) {
      return new Outcome(failure(e.getCause()), time.nanoTime(), 0);
    }
  }

  /** The one way a run that took too long is reported: down, counting its whole timeout. */
  private Outcome timedOut(long at) {
    return new Outcome(HealthResult.down(HealthNames.TIMEOUT), at, timeoutNanos);
  }

  private Outcome finish(Outcome outcome) {
    synchronized (lock) {
      inFlight = null;
      return accept.apply(outcome);
    }
  }

  private void run(CompletableFuture<Outcome> raw, long begin) {
    HealthResult result;
    try {
      result = requireNonNull(check.check(), "the check returned null");
    } catch (Throwable e) { // a check's failure of any kind is its result
      result = failure(e);
    } finally {
      synchronized (lock) {
        taskRunning = false;
      }
    }
    long end = time.nanoTime();
    raw.complete(new Outcome(result, end, end - begin));
  }

  private static HealthResult failure(@Nullable Throwable error) {
    if (error == null) {
      return HealthResult.down("failed");
    }
    HealthResult result = HealthResult.down(error.getClass().getSimpleName());
    String message = error.getMessage();
    return message == null ? result : result.withDetail("error", Redaction.url(message));
  }
}
