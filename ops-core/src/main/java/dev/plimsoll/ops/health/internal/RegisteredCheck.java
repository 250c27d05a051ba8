package dev.plimsoll.ops.health.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.health.HealthStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One registered check, put together from its parts: the runner (single flight and timeout), the
 * cache, the flap damper and its meters. One lock covers them, so that reading the cache and
 * starting a run, or accepting a run's outcome, are each one step. Thread-safe. Not API.
 */
public final class RegisteredCheck {

  // Logged under the registry's name, where operators have always found these lines.
  private static final Logger LOG = LoggerFactory.getLogger(HealthRegistry.class);

  private final HealthCheckRegistration registration;
  private final HealthTime time;
  private final Object lock = new Object();
  private final CheckRunner runner;
  private final ResultCache cache;
  private final FlapDamper damper;
  private final BooleanSupplier draining;
  // Guarded by lock.
  private HealthMetrics.CheckTimers timers = HealthMetrics.CheckTimers.NONE;

  private RegisteredCheck(
      HealthCheckRegistration registration,
      Duration defaultTimeout,
      Duration defaultCacheTtl,
      ExecutorService executor,
      HealthTime time,
      BooleanSupplier draining) {
    this.registration = registration;
    this.time = time;
    this.draining = draining;
    Duration timeout = registration.timeout();
    long timeoutNanos = (timeout != null ? timeout : defaultTimeout).toNanos();
    Duration ttl = registration.cacheTtl();
    Duration interval = registration.refreshInterval();
    Duration stale = registration.maxStaleness();
    long staleNanos =
        stale != null
            ? stale.toNanos()
            : interval != null ? 3 * interval.toNanos() + timeoutNanos : Long.MAX_VALUE;
    this.cache =
        new ResultCache(
            (ttl != null ? ttl : defaultCacheTtl).toNanos(), staleNanos, interval != null);
    this.damper = new FlapDamper(registration.failuresToDown(), registration.successesToUp());
    this.runner =
        new CheckRunner(registration.check(), timeoutNanos, executor, time, lock, this::accept);
  }

  /**
   * A check of {@code registration}, with the registry's defaults for what it does not set, run on
   * {@code executor} by {@code time}, its meters bound through {@code metrics}; while {@code
   * draining} says so, a check that goes down is logged at INFO, not WARN (in a shutdown,
   * dependencies closing and the application refusing traffic are expected, not a page).
   */
  public static RegisteredCheck create(
      HealthCheckRegistration registration,
      Duration defaultTimeout,
      Duration defaultCacheTtl,
      ExecutorService executor,
      HealthTime time,
      HealthMetrics metrics,
      BooleanSupplier draining) {
    requireNonNull(registration, "registration");
    requireNonNull(defaultTimeout, "defaultTimeout");
    requireNonNull(defaultCacheTtl, "defaultCacheTtl");
    requireNonNull(executor, "executor");
    requireNonNull(time, "time");
    requireNonNull(draining, "draining");
    RegisteredCheck check =
        new RegisteredCheck(
            registration, defaultTimeout, defaultCacheTtl, executor, time, draining);
    // Bound once built, so a scrape never reads a half-made check.
    HealthMetrics.CheckTimers timers =
        metrics.bindCheck(registration, check, RegisteredCheck::gaugeValue);
    synchronized (check.lock) {
      check.timers = timers;
    }
    return check;
  }

  /** The registration. */
  public HealthCheckRegistration registration() {
    return registration;
  }

  /** Whether it belongs to {@code group}. */
  public boolean in(HealthGroup group) {
    return registration.groups().contains(group);
  }

  /**
   * For a probe at {@code now}: the result it may reuse, or the run under way, or a new run.
   * Complete it with {@link #await}.
   */
  public CompletableFuture<Outcome> obtain(long now) {
    synchronized (lock) {
      Outcome reusable = cache.reusable(now, runner.underWay());
      return reusable != null ? CompletableFuture.completedFuture(reusable) : runner.start();
    }
  }

  /** Waits for what {@link #obtain} gave a probe that began at {@code probeStart}, bounded. */
  public Outcome await(CompletableFuture<Outcome> run, long probeStart) {
    return runner.await(run, probeStart);
  }

  /** The reported outcome as a probe at {@code now} sees it, or {@code null} before the first. */
  public @Nullable Outcome view(long now) {
    synchronized (lock) {
      return cache.view(now);
    }
  }

  /** Starts a run unless one is under way; for the background refresh. */
  public void refreshInBackground() {
    synchronized (lock) {
      try {
        runner.start();
      } catch (RuntimeException e) {
        LOG.warn("Could not refresh health check '{}'", registration.name(), e);
      }
    }
  }

  private double gaugeValue() {
    Outcome latest = view(time.nanoTime());
    return latest == null ? Double.NaN : latest.result().status().gaugeValue();
  }

  /** Called by the runner, holding the lock, with every outcome before anyone sees it. */
  private Outcome accept(Outcome outcome) {
    timers.record(outcome.durationNanos());
    Outcome previous = cache.latest();
    Outcome next = damper.damp(previous, outcome);
    cache.store(next);
    logTransition(previous, next);
    return next;
  }

  private void logTransition(@Nullable Outcome previous, Outcome next) {
    HealthStatus before = previous == null ? HealthStatus.UP : previous.result().status();
    HealthStatus after = next.result().status();
    if (before == after) {
      return;
    }
    Object error = next.result().details().get("error");
    if (after == HealthStatus.UP) {
      LOG.info("Health check '{}' is UP again", registration.name());
    } else {
      Level level = draining.getAsBoolean() ? Level.INFO : Level.WARN;
      LOG.atLevel(level)
          .log(
              "Health check '{}' is {} ({}){}{}",
              registration.name(),
              after,
              next.result().reason(),
              error == null ? "" : ": " + error,
              level == Level.INFO ? " while draining" : "");
    }
  }
}
