package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.Redaction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered health checks and the lifecycle of the service, answering the {@code live}, {@code
 * ready} and {@code started} probes. Each check runs on a small bounded executor with its own
 * timeout; the checks of a group run in parallel; a result is reused for a short TTL, and at most
 * one run of a check is under way at a time, so a burst of probes runs each check once. While a run
 * is under way, probes other than the one that started it get the previous result at once, so a
 * hanging dependency never holds more than one request thread per check. Thread-safe.
 */
public final class HealthRegistry implements AutoCloseable {

  /** Where the service is in its life, as the probes see it. */
  public enum Lifecycle {
    /** Not ready yet: {@code started} and {@code ready} are down with reason {@code starting}. */
    STARTING,
    /** Serving: every group reports its checks. */
    SERVING,
    /** Shutting down: {@code ready} is down with reason {@code draining}, the rest unchanged. */
    DRAINING
  }

  private static final Logger LOG = LoggerFactory.getLogger(HealthRegistry.class);
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final Duration defaultTimeout;
  private final Duration defaultCacheTtl;
  private final ThreadPoolExecutor executor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final @Nullable MeterRegistry meters;
  private final LongSupplier ticker;
  private final Clock clock;
  private final List<CheckState> states = new CopyOnWriteArrayList<>();
  private volatile Lifecycle lifecycle;

  private HealthRegistry(Builder builder) {
    this.defaultTimeout = builder.timeout;
    this.defaultCacheTtl = builder.cacheTtl;
    this.meters = builder.meters;
    this.ticker = builder.ticker;
    this.clock = builder.clock;
    this.lifecycle = builder.lifecycle;
    this.executor =
        new ThreadPoolExecutor(
            builder.threads,
            builder.threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            daemonThreads("plimsoll-health-"));
    executor.allowCoreThreadTimeOut(true);
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("plimsoll-health-timer-"));
    scheduler.setRemoveOnCancelPolicy(true);
    if (meters != null) {
      for (HealthGroup group : HealthGroup.values()) {
        Gauge.builder(HealthNames.GROUP_STATUS, this, r -> r.cachedStatus(group).gaugeValue())
            .description(
                "Status of each probe group from the latest results: 1 up, 0.5 degraded, 0 down.")
            .tag(HealthNames.GROUP, group.label())
            .register(meters);
      }
    }
  }

  /** A builder with the defaults: 2 s timeout, 1 s cache, 4 threads, lifecycle {@code SERVING}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds a check.
   *
   * @throws IllegalArgumentException if a check of that name is already registered
   * @throws IllegalStateException if the registry is closed
   */
  public void register(HealthCheckRegistration registration) {
    requireNonNull(registration, "registration");
    if (executor.isShutdown()) {
      throw new IllegalStateException("the health registry is closed");
    }
    CheckState state = new CheckState(registration);
    synchronized (states) {
      for (CheckState existing : states) {
        if (existing.registration.name().equals(registration.name())) {
          throw new IllegalArgumentException(
              "a check named '" + registration.name() + "' is already registered");
        }
      }
      states.add(state);
    }
    state.bindMetrics();
    Duration interval = registration.refreshInterval();
    if (interval != null) {
      scheduler.scheduleWithFixedDelay(
          state::refreshInBackground, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Registers {@code check} as a critical check of {@code groups} with the default settings. */
  public void register(String name, HealthCheck check, HealthGroup group, HealthGroup... more) {
    register(HealthCheckRegistration.builder(name, check).groups(group, more).build());
  }

  /** The names of the registered checks, in registration order. */
  public List<String> names() {
    return states.stream().map(s -> s.registration.name()).toList();
  }

  /**
   * Probes one group: runs (or reuses) each of its checks and combines them. Waits at most about
   * the longest timeout among them.
   */
  public HealthReport check(HealthGroup group) {
    requireNonNull(group, "group");
    String override = override(group, lifecycle);
    if (override != null) {
      return new HealthReport(group, HealthStatus.DOWN, override, clock.instant(), List.of());
    }
    return evaluate(group, states.stream().filter(s -> s.in(group)).toList());
  }

  /** Probes every check, as the {@code /health} endpoint shows them. */
  public HealthReport checkAll() {
    HealthReport all = evaluate(null, states);
    Lifecycle now = lifecycle;
    if (now == Lifecycle.SERVING) {
      return all;
    }
    return new HealthReport(
        null,
        HealthStatus.DOWN,
        now == Lifecycle.STARTING ? HealthNames.STARTING : HealthNames.DRAINING,
        all.timestamp(),
        all.checks());
  }

  /** Marks the service started: {@code started} and {@code ready} report their checks. */
  public void markStarted() {
    if (lifecycle == Lifecycle.STARTING) {
      lifecycle = Lifecycle.SERVING;
      LOG.info("Service started; readiness now reports its checks");
    }
  }

  /** Marks the service as shutting down: {@code ready} turns down with reason {@code draining}. */
  public void markDraining() {
    if (lifecycle != Lifecycle.DRAINING) {
      lifecycle = Lifecycle.DRAINING;
      LOG.info("Readiness is DOWN: draining");
    }
  }

  /** The current lifecycle. */
  public Lifecycle lifecycle() {
    return lifecycle;
  }

  /** Stops the executors; a check still running is interrupted. Idempotent. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    executor.shutdownNow();
  }

  private static @Nullable String override(HealthGroup group, Lifecycle lifecycle) {
    if (lifecycle == Lifecycle.STARTING && group != HealthGroup.LIVE) {
      return HealthNames.STARTING;
    }
    if (lifecycle == Lifecycle.DRAINING && group == HealthGroup.READY) {
      return HealthNames.DRAINING;
    }
    return null;
  }

  private HealthReport evaluate(@Nullable HealthGroup group, List<CheckState> members) {
    long now = ticker.getAsLong();
    List<CompletableFuture<Outcome>> runs = new ArrayList<>(members.size());
    for (CheckState state : members) {
      runs.add(state.obtain(now));
    }
    HealthStatus overall = HealthStatus.UP;
    List<CheckReport> reports = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      CheckState state = members.get(i);
      Outcome outcome = await(runs.get(i), state, now);
      HealthResult result = outcome.result;
      reports.add(
          new CheckReport(
              state.registration.name(),
              result.status(),
              state.registration.critical(),
              Duration.ofNanos(outcome.durationNanos),
              result.reason(),
              result.details()));
      overall = overall.worst(contribution(result.status(), state.registration.critical()));
    }
    return new HealthReport(group, overall, null, clock.instant(), reports);
  }

  private Outcome await(CompletableFuture<Outcome> run, CheckState state, long start) {
    long remaining = state.timeoutNanos + GRACE_NANOS - (ticker.getAsLong() - start);
    try {
      return run.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return new Outcome(
          HealthResult.down(HealthNames.TIMEOUT), ticker.getAsLong(), state.timeoutNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(HealthResult.down("interrupted"), ticker.getAsLong(), 0);
    } catch (ExecutionException e) {
      return new Outcome(failure(e.getCause()), ticker.getAsLong(), 0);
    }
  }

  private static HealthStatus contribution(HealthStatus status, boolean critical) {
    return status == HealthStatus.DOWN && !critical ? HealthStatus.DEGRADED : status;
  }

  HealthStatus cachedStatus(HealthGroup group) {
    if (override(group, lifecycle) != null) {
      return HealthStatus.DOWN;
    }
    long now = ticker.getAsLong();
    HealthStatus overall = HealthStatus.UP;
    for (CheckState state : states) {
      if (state.in(group)) {
        Outcome latest = state.view(now);
        if (latest != null) {
          overall =
              overall.worst(contribution(latest.result.status(), state.registration.critical()));
        }
      }
    }
    return overall;
  }

  private static HealthResult failure(@Nullable Throwable error) {
    if (error == null) {
      return HealthResult.down("failed");
    }
    HealthResult result = HealthResult.down(error.getClass().getSimpleName());
    String message = error.getMessage();
    return message == null ? result : result.withDetail("error", Redaction.url(message));
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One run's result, when it ended (ticker nanos) and how long it took. */
  private record Outcome(HealthResult result, long completedAt, long durationNanos) {}

  /** One registered check: its latest result, the run under way, and its flap damping. */
  private final class CheckState {
    final HealthCheckRegistration registration;
    final long timeoutNanos;
    final long ttlNanos;
    final long staleNanos;
    final boolean background;
    private final Map<HealthGroup, Timer> timers = new EnumMap<>(HealthGroup.class);
    // Guarded by this.
    private @Nullable Outcome reported;
    private @Nullable CompletableFuture<Outcome> inFlight;
    private boolean taskRunning;
    private boolean streakGood;
    private int streak;

    CheckState(HealthCheckRegistration registration) {
      this.registration = registration;
      Duration timeout = registration.timeout();
      this.timeoutNanos = (timeout != null ? timeout : defaultTimeout).toNanos();
      Duration ttl = registration.cacheTtl();
      this.ttlNanos = (ttl != null ? ttl : defaultCacheTtl).toNanos();
      Duration interval = registration.refreshInterval();
      this.background = interval != null;
      Duration stale = registration.maxStaleness();
      this.staleNanos =
          stale != null
              ? stale.toNanos()
              : interval != null ? 3 * interval.toNanos() + timeoutNanos : Long.MAX_VALUE;
    }

    boolean in(HealthGroup group) {
      return registration.groups().contains(group);
    }

    void bindMetrics() {
      if (meters == null) {
        return;
      }
      for (HealthGroup group : registration.groups()) {
        Gauge.builder(HealthNames.CHECK_STATUS, this, s -> s.gaugeValue())
            .description("Status of each health check: 1 up, 0.5 degraded, 0 down.")
            .tag(HealthNames.CHECK, registration.name())
            .tag(HealthNames.GROUP, group.label())
            .tag(HealthNames.CRITICAL, Boolean.toString(registration.critical()))
            .register(meters);
        timers.put(
            group,
            Timer.builder(HealthNames.CHECK_DURATION)
                .description(
                    "Duration of each health check run; a timed-out run counts its timeout.")
                .tag(HealthNames.CHECK, registration.name())
                .tag(HealthNames.GROUP, group.label())
                .register(meters));
      }
    }

    double gaugeValue() {
      Outcome latest = view(ticker.getAsLong());
      return latest == null ? Double.NaN : latest.result.status().gaugeValue();
    }

    /** The reported outcome as a probe at {@code now} sees it, staleness applied. */
    synchronized @Nullable Outcome view(long now) {
      Outcome latest = reported;
      if (latest != null && background && now - latest.completedAt > staleNanos) {
        return stale(latest);
      }
      return latest;
    }

    synchronized CompletableFuture<Outcome> obtain(long now) {
      Outcome latest = reported;
      if (latest != null) {
        if (background) {
          return CompletableFuture.completedFuture(
              now - latest.completedAt > staleNanos ? stale(latest) : latest);
        }
        // Within the TTL, and while a newer run is under way: only the probe that started a run
        // waits for it, so a slow dependency holds one request thread, not every probe's.
        if (now - latest.completedAt < ttlNanos || inFlight != null) {
          return CompletableFuture.completedFuture(latest);
        }
      }
      return start();
    }

    synchronized void refreshInBackground() {
      try {
        start();
      } catch (RuntimeException e) {
        LOG.warn("Could not refresh health check '{}'", registration.name(), e);
      }
    }

    private Outcome stale(Outcome latest) {
      return new Outcome(
          HealthResult.down(HealthNames.STALE).withDetails(latest.result.details()),
          latest.completedAt,
          latest.durationNanos);
    }

    private CompletableFuture<Outcome> start() {
      if (inFlight != null) {
        return inFlight;
      }
      long begin = ticker.getAsLong();
      if (taskRunning) {
        // The previous run outlived its timeout and still holds a thread: start no other.
        return CompletableFuture.completedFuture(
            accept(new Outcome(HealthResult.down(HealthNames.TIMEOUT), begin, timeoutNanos)));
      }
      CompletableFuture<Outcome> raw = new CompletableFuture<>();
      Future<?> task;
      try {
        taskRunning = true;
        task = executor.submit(() -> run(raw, begin));
      } catch (RejectedExecutionException e) {
        taskRunning = false;
        return CompletableFuture.completedFuture(
            accept(new Outcome(HealthResult.down(HealthNames.REJECTED), begin, 0)));
      }
      try {
        scheduler.schedule(
            () -> {
              if (raw.complete(
                  new Outcome(
                      HealthResult.down(HealthNames.TIMEOUT), ticker.getAsLong(), timeoutNanos))) {
                task.cancel(true);
              }
            },
            timeoutNanos,
            TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        task.cancel(true);
      }
      CompletableFuture<Outcome> accepted = raw.thenApply(this::accept);
      if (!accepted.isDone()) { // a run that already ended has been accepted on this thread
        inFlight = accepted;
      }
      return accepted;
    }

    private void run(CompletableFuture<Outcome> raw, long begin) {
      HealthResult result;
      try {
        result = requireNonNull(registration.check().check(), "the check returned null");
      } catch (Throwable e) { // a check's failure of any kind is its result
        result = failure(e);
      } finally {
        synchronized (this) {
          taskRunning = false;
        }
      }
      long end = ticker.getAsLong();
      raw.complete(new Outcome(result, end, end - begin));
    }

    private synchronized Outcome accept(Outcome outcome) {
      inFlight = null;
      for (Timer timer : timers.values()) {
        timer.record(outcome.durationNanos, TimeUnit.NANOSECONDS);
      }
      Outcome previous = reported;
      boolean good = outcome.result.status() == HealthStatus.UP;
      Outcome next = outcome;
      if (previous != null && good != (previous.result.status() == HealthStatus.UP)) {
        streak = good == streakGood ? streak + 1 : 1;
        streakGood = good;
        int needed = good ? registration.successesToUp() : registration.failuresToDown();
        if (streak < needed) {
          // Damped: keep reporting the previous result, as fresh as this run.
          next = new Outcome(previous.result, outcome.completedAt, outcome.durationNanos);
        } else {
          streak = 0;
        }
      } else {
        streak = 0;
      }
      reported = next;
      logTransition(previous, next);
      return next;
    }

    private void logTransition(@Nullable Outcome previous, Outcome next) {
      HealthStatus before = previous == null ? HealthStatus.UP : previous.result.status();
      HealthStatus after = next.result.status();
      if (before == after) {
        return;
      }
      Object error = next.result.details().get("error");
      if (after == HealthStatus.UP) {
        LOG.info("Health check '{}' is UP again", registration.name());
      } else {
        LOG.warn(
            "Health check '{}' is {} ({}){}",
            registration.name(),
            after,
            next.result.reason(),
            error == null ? "" : ": " + error);
      }
    }
  }

  /** Builds a {@link HealthRegistry}. Not thread-safe. */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(2);
    private Duration cacheTtl = Duration.ofSeconds(1);
    private int threads = 4;
    private @Nullable MeterRegistry meters;
    private Lifecycle lifecycle = Lifecycle.SERVING;
    private LongSupplier ticker = System::nanoTime;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The timeout of checks that set none. */
    public Builder defaultTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** How long results are reused, for checks that set nothing else. */
    public Builder defaultCacheTtl(Duration cacheTtl) {
      requireNonNull(cacheTtl, "cacheTtl");
      if (cacheTtl.isNegative()) {
        throw new IllegalArgumentException("cacheTtl must not be negative");
      }
      this.cacheTtl = cacheTtl;
      return this;
    }

    /** The most checks run at once (1 to 64); more wait in a bounded queue. */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be from 1 to 64");
      }
      this.threads = threads;
      return this;
    }

    /** Publishes the health metrics in {@code meters}. */
    public Builder meterRegistry(MeterRegistry meters) {
      this.meters = requireNonNull(meters, "meters");
      return this;
    }

    /** The lifecycle to begin with; {@code STARTING} until {@link #markStarted()} is called. */
    public Builder lifecycle(Lifecycle lifecycle) {
      this.lifecycle = requireNonNull(lifecycle, "lifecycle");
      return this;
    }

    /** The clock of the reports' timestamps. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The monotonic nanosecond source ages are measured with; for tests. */
    Builder ticker(LongSupplier ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    /** Builds it. */
    public HealthRegistry build() {
      return new HealthRegistry(this);
    }
  }
}
