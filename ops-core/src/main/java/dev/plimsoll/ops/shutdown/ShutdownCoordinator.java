package dev.plimsoll.ops.shutdown;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.health.internal.ServiceLifecycle;
import dev.plimsoll.ops.logging.LogFields;
import dev.plimsoll.ops.shutdown.internal.InFlightRequests;
import dev.plimsoll.ops.shutdown.internal.ShutdownBudget;
import dev.plimsoll.ops.shutdown.internal.ShutdownClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the graceful shutdown, on SIGTERM (a JVM shutdown hook) or when called: readiness turns down
 * at once ({@code draining}); traffic is still served for the drain delay, with {@code Connection:
 * close}; in-flight requests get up to the timeout to finish; the server stops; the closers run in
 * reverse order of registration, each with its own timeout; one summary line is logged. Every phase
 * is logged with its timing and the whole sequence stays within the budget. Thread-safe; the
 * sequence runs once, however often it is asked for.
 */
public final class ShutdownCoordinator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownCoordinator.class);

  private final Duration drainDelay;
  private final Duration timeout;
  private final Duration closerTimeout;
  private final Duration budget;
  private final ServiceLifecycle lifecycle;
  private final ShutdownClock clock;

  static {
    InFlightRequests.provideCoordinatorAccess(coordinator -> coordinator.inFlight);
  }

  private final InFlightRequests inFlight = new InFlightRequests();
  private final List<NamedCloser> closers = new ArrayList<>();
  private final AtomicReference<@Nullable CompletableFuture<ShutdownSummary>> run =
      new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable Closer serverStop;
  private volatile @Nullable NamedCloser last;
  private volatile @Nullable Thread hook;

  private ShutdownCoordinator(Builder builder) {
    this.drainDelay = builder.drainDelay;
    this.timeout = builder.timeout;
    this.closerTimeout = builder.closerTimeout;
    this.budget = builder.budget;
    HealthRegistry health = builder.health;
    // Readiness and the request path read one lifecycle: the registry's, or the coordinator's own.
    this.lifecycle =
        health != null
            ? ServiceLifecycle.of(health)
            : new ServiceLifecycle(HealthRegistry.Lifecycle.SERVING);
    this.clock = builder.clock;
    if (!ShutdownBudget.fits(drainDelay, timeout, budget)) {
      throw new IllegalArgumentException(
          "drain delay "
              + drainDelay
              + " plus timeout "
              + timeout
              + " exceed the budget "
              + budget);
    }
  }

  /**
   * A builder with Plimsoll's defaults: 5 s drain delay, 20 s timeout, 5 s closers, 30 s budget.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The requests being served; adapters count them here through {@link InFlightRequests#of}. */
  InFlightRequests inFlight() {
    return inFlight;
  }

  /**
   * Whether the service is draining (shutdown has begun, or readiness was turned down for it):
   * responses should carry {@code Connection: close}.
   */
  public boolean isDraining() {
    return lifecycle.isDraining();
  }

  /** How the server is stopped in phase 4 (for Jetty, a graceful {@code stop()}). */
  public void onServerStop(Closer stop) {
    this.serverStop = requireNonNull(stop, "stop");
  }

  /** Adds a closer with the default closer timeout; closers run in reverse order of adding. */
  public void addCloser(String name, Closer closer) {
    addCloser(name, closer, closerTimeout);
  }

  /** Adds a closer with its own timeout; closers run in reverse order of adding. */
  public void addCloser(String name, Closer closer, Duration timeout) {
    NamedCloser named = new NamedCloser(name, closer, timeout);
    synchronized (closers) {
      closers.add(named);
    }
  }

  /**
   * Sets the step that runs after the summary line, at the very end of a graceful shutdown only:
   * flushing and stopping logging.
   */
  public void lastly(String name, Closer closer) {
    this.last = new NamedCloser(name, closer, closerTimeout);
  }

  /**
   * Runs the graceful shutdown on a JVM shutdown hook, so SIGTERM drains the service. {@link
   * #close()} removes the hook again.
   */
  public synchronized void installShutdownHook() {
    if (hook == null) {
      Thread thread = new Thread(this::shutdown, "plimsoll-shutdown");
      Runtime.getRuntime().addShutdownHook(thread);
      hook = thread;
    }
  }

  /**
   * Runs the whole graceful shutdown, or waits for the run already under way, and returns how it
   * went.
   */
  public ShutdownSummary shutdown() {
    return once(true);
  }

  /**
   * Runs only the first three phases (readiness down, drain delay, in-flight requests) and logs the
   * summary line, for frameworks that stop the server and close resources themselves afterwards
   * (Spring's lifecycle); {@link #close()} then runs the closers. Runs once, like {@link
   * #shutdown()}.
   */
  public ShutdownSummary drain() {
    return once(false);
  }

  /**
   * Runs the closers, unless a graceful shutdown already did, and removes the shutdown hook: after
   * {@link #drain()}, or on its own when nothing was drained (tests, embedded use). Idempotent.
   */
  @Override
  public void close() {
    Thread installed = hook;
    if (installed != null && Thread.currentThread() != installed) {
      try {
        Runtime.getRuntime().removeShutdownHook(installed);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook runs the graceful shutdown.
      }
    }
    if (closed.compareAndSet(false, true)) {
      runClosers(clock.nanoTime() + budget.toNanos(), new ArrayList<>());
    }
  }

  private ShutdownSummary once(boolean whole) {
    CompletableFuture<ShutdownSummary> mine = new CompletableFuture<>();
    CompletableFuture<ShutdownSummary> existing = run.compareAndExchange(null, mine);
    if (existing != null) {
      return existing.join();
    }
    try {
      mine.complete(runPhases(whole));
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    }
    return mine.join();
  }

  private ShutdownSummary runPhases(boolean whole) {
    long start = clock.nanoTime();
    long deadline = start + budget.toNanos();
    long finishedBefore = inFlight.finishedCount();
    LOG.atInfo()
        .addKeyValue(LogFields.SHUTDOWN_BUDGET_MS, budget.toMillis())
        .log("Shutdown started; {} in flight", inFlight.active());

    long phase = clock.nanoTime();
    lifecycle.markDraining();
    logPhase("readiness-down", phase);

    phase = clock.nanoTime();
    sleepUntil(Math.min(phase + drainDelay.toNanos(), deadline));
    logPhase("drain-delay", phase);

    phase = clock.nanoTime();
    boolean idle = awaitIdle(Math.min(timeout.toNanos(), deadline - phase));
    int stillRunning = idle ? 0 : inFlight.active();
    if (!idle) {
      LOG.atWarn()
          .addKeyValue(LogFields.SHUTDOWN_REQUESTS_IN_FLIGHT, stillRunning)
          .log(
              "{} requests still running after {} ms; stopping anyway",
              stillRunning,
              timeout.toMillis());
    }
    logPhase("in-flight", phase);

    List<String> failed = new ArrayList<>();
    if (whole) {
      Closer stop = serverStop;
      phase = clock.nanoTime();
      if (stop != null) {
        runBounded(new NamedCloser("server", stop, closerTimeout), deadline, failed);
      }
      logPhase("server-stop", phase);

      phase = clock.nanoTime();
      if (closed.compareAndSet(false, true)) {
        runClosers(deadline, failed);
      }
      logPhase("closers", phase);
    }

    long drained = inFlight.finishedCount() - finishedBefore;
    Duration total = Duration.ofNanos(clock.nanoTime() - start);
    LOG.atInfo()
        .addKeyValue(LogFields.SHUTDOWN_REQUESTS_DRAINED, drained)
        .addKeyValue(LogFields.SHUTDOWN_REQUESTS_IN_FLIGHT, stillRunning)
        .addKeyValue(LogFields.DURATION_MS, total.toMillis())
        .log(
            "{}: {} requests drained, {} still running at the timeout, {} ms{}",
            whole ? "Shutdown complete" : "Drain complete; the server stops next",
            drained,
            stillRunning,
            total.toMillis(),
            failed.isEmpty() ? "" : "; closers failed: " + String.join(", ", failed));
    NamedCloser finalStep = last;
    if (whole && finalStep != null) {
      runBounded(finalStep, deadline, new ArrayList<>());
    }
    return new ShutdownSummary(drained, stillRunning, total, failed);
  }

  private void runClosers(long deadline, List<String> failed) {
    List<NamedCloser> reversed;
    synchronized (closers) {
      reversed = new ArrayList<>(closers);
    }
    for (int i = reversed.size() - 1; i >= 0; i--) {
      runBounded(reversed.get(i), deadline, failed);
    }
  }

  private void runBounded(NamedCloser named, long deadline, List<String> failed) {
    long begin = clock.nanoTime();
    long allowed = Math.min(named.timeout.toNanos(), deadline - begin);
    if (allowed <= 0) {
      LOG.warn("Closer '{}' skipped: the shutdown budget is spent", named.name);
      failed.add(named.name);
      return;
    }
    AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
    CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                named.closer.close();
              } catch (Throwable e) { // a closer's failure of any kind must not stop the others
                error.set(e);
              } finally {
                done.complete(null);
              }
            },
            "plimsoll-closer-" + named.name);
    thread.setDaemon(true);
    thread.start();
    boolean finished = false;
    try {
      finished = clock.awaitUntil(done, begin + allowed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long took = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - begin);
    if (!finished) {
      thread.interrupt();
      failed.add(named.name);
      LOG.warn("Closer '{}' did not finish within {} ms; going on without it", named.name, took);
    } else if (error.get() != null) {
      failed.add(named.name);
      LOG.warn("Closer '{}' failed after {} ms; going on", named.name, took, error.get());
    } else {
      LOG.atInfo()
          .addKeyValue(LogFields.SHUTDOWN_CLOSER, named.name)
          .addKeyValue(LogFields.DURATION_MS, took)
          .log("Closed '{}' in {} ms", named.name, took);
    }
  }

  private void logPhase(String name, long startNanos) {
    long took = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - startNanos);
    LOG.atInfo()
        .addKeyValue(LogFields.SHUTDOWN_PHASE, name)
        .addKeyValue(LogFields.DURATION_MS, took)
        .log("Shutdown phase {} done in {} ms", name, took);
  }

  private boolean awaitIdle(long nanos) {
    long deadline = clock.nanoTime() + Math.max(nanos, 0);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return inFlight.awaitIdle(Math.max(deadline - clock.nanoTime(), 0), clock);
        } catch (InterruptedException e) {
          interrupted = true; // keep waiting for the requests; see sleepUntil
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void sleepUntil(long deadlineNanos) {
    // The drain is a promise to the platform: an interrupt does not cut it short; it is kept for
    // the caller once the wait is over.
    boolean interrupted = false;
    long left;
    while ((left = deadlineNanos - clock.nanoTime()) > 0) {
      try {
        clock.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A closer with its name and timeout. */
  private record NamedCloser(String name, Closer closer, Duration timeout) {
    NamedCloser {
      requireNonNull(name, "name");
      requireNonNull(closer, "closer");
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
    }
  }

  /** Builds a {@link ShutdownCoordinator}. Not thread-safe. */
  public static final class Builder {
    private Duration drainDelay = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(20);
    private Duration closerTimeout = Duration.ofSeconds(5);
    private Duration budget = Duration.ofSeconds(30);
    private @Nullable HealthRegistry health;
    private ShutdownClock clock = ShutdownClock.system();

    private Builder() {}

    /** Takes the four durations from {@code settings}. */
    public Builder settings(OpsSettings settings) {
      requireNonNull(settings, "settings");
      return drainDelay(settings.drainDelay())
          .timeout(settings.shutdownTimeout())
          .closerTimeout(settings.closerTimeout())
          .budget(settings.shutdownBudget());
    }

    /** How long traffic is still served after readiness turns down. */
    public Builder drainDelay(Duration drainDelay) {
      this.drainDelay = nonNegative(drainDelay, "drainDelay");
      return this;
    }

    /** How long in-flight requests get to finish after the drain delay. */
    public Builder timeout(Duration timeout) {
      this.timeout = nonNegative(timeout, "timeout");
      return this;
    }

    /** The default timeout of each closer and of the server stop. */
    public Builder closerTimeout(Duration closerTimeout) {
      requireNonNull(closerTimeout, "closerTimeout");
      if (closerTimeout.isNegative() || closerTimeout.isZero()) {
        throw new IllegalArgumentException("closerTimeout must be positive");
      }
      this.closerTimeout = closerTimeout;
      return this;
    }

    /** The most the whole sequence may take. */
    public Builder budget(Duration budget) {
      this.budget = nonNegative(budget, "budget");
      return this;
    }

    /** The registry whose readiness turns down with reason {@code draining}. */
    public Builder health(HealthRegistry health) {
      this.health = requireNonNull(health, "health");
      return this;
    }

    /** The clock every phase is timed and bounded by; tests pass a fake one and never sleep. */
    Builder clock(ShutdownClock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds it.
     *
     * @throws IllegalArgumentException if the drain delay plus the timeout exceed the budget
     */
    public ShutdownCoordinator build() {
      return new ShutdownCoordinator(this);
    }

    private static Duration nonNegative(Duration value, String what) {
      requireNonNull(value, what);
      if (value.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative");
      }
      return value;
    }
  }
}
