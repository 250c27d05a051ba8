package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.health.internal.HealthExecutors;
import dev.plimsoll.ops.health.internal.HealthMetrics;
import dev.plimsoll.ops.health.internal.HealthTime;
import dev.plimsoll.ops.health.internal.Outcome;
import dev.plimsoll.ops.health.internal.RegisteredCheck;
import dev.plimsoll.ops.health.internal.ServiceLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The registered health checks and the lifecycle of the service, answering the {@code live}, {@code
 * ready} and {@code started} probes. Each check runs on a small bounded executor with its own
 * timeout; the checks of a group run in parallel; a result is reused for a short TTL, and at most
 * one run of a check is under way at a time, so a burst of probes runs each check once. While a run
 * is under way, probes other than the one that started it get the previous result at once, so a
 * hanging dependency never holds more than one request thread per check. Thread-safe.
 *
 * <p>The registry combines checks into probe answers; each check's running, caching, flap damping
 * and meters are separate parts, and the lifecycle is the one the shutdown coordinator drives.
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

  static {
    ServiceLifecycle.provideRegistryAccess(registry -> registry.lifecycle);
  }

  private final Duration defaultTimeout;
  private final Duration defaultCacheTtl;
  private final ThreadPoolExecutor executor;
  private final HealthTime time;
  private final HealthMetrics metrics;
  private final Clock clock;
  private final ServiceLifecycle lifecycle;
  private final List<RegisteredCheck> checks = new CopyOnWriteArrayList<>();

  private HealthRegistry(Builder builder) {
    this.defaultTimeout = builder.timeout;
    this.defaultCacheTtl = builder.cacheTtl;
    this.clock = builder.clock;
    this.lifecycle = new ServiceLifecycle(builder.lifecycle);
    this.executor = HealthExecutors.forChecks(builder.threads);
    HealthTime given = builder.time;
    this.time = given != null ? given : HealthTime.system();
    this.metrics = new HealthMetrics(builder.meters);
    metrics.bindGroups(this, HealthRegistry::cachedStatus);
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
    RegisteredCheck check;
    synchronized (checks) {
      for (RegisteredCheck existing : checks) {
        if (existing.registration().name().equals(registration.name())) {
          throw new IllegalArgumentException(
              "a check named '" + registration.name() + "' is already registered");
        }
      }
      check =
          RegisteredCheck.create(
              registration,
              defaultTimeout,
              defaultCacheTtl,
              executor,
              time,
              metrics,
              lifecycle::isDraining);
      checks.add(check);
    }
    Duration interval = registration.refreshInterval();
    if (interval != null) {
      time.scheduleWithFixedDelay(check::refreshInBackground, 0, interval.toNanos());
    }
  }

  /** Registers {@code check} as a critical check of {@code groups} with the default settings. */
  public void register(String name, HealthCheck check, HealthGroup group, HealthGroup... more) {
    register(HealthCheckRegistration.builder(name, check).groups(group, more).build());
  }

  /** The names of the registered checks, in registration order. */
  public List<String> names() {
    return checks.stream().map(c -> c.registration().name()).toList();
  }

  /**
   * Probes one group: runs (or reuses) each of its checks and combines them. Waits at most about
   * the longest timeout among them.
   */
  public HealthReport check(HealthGroup group) {
    requireNonNull(group, "group");
    String override = override(group, lifecycle.state());
    if (override != null) {
      return new HealthReport(group, HealthStatus.DOWN, override, clock.instant(), List.of());
    }
    return evaluate(group, checks.stream().filter(c -> c.in(group)).toList());
  }

  /** Probes every check, as the {@code /health} endpoint shows them. */
  public HealthReport checkAll() {
    HealthReport all = evaluate(null, checks);
    Lifecycle now = lifecycle.state();
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
    lifecycle.markStarted();
  }

  /**
   * Marks the service as shutting down: {@code ready} turns down with reason {@code draining}, and
   * a shutdown coordinator built with this registry counts as draining.
   */
  public void markDraining() {
    lifecycle.markDraining();
  }

  /** The current lifecycle. */
  public Lifecycle lifecycle() {
    return lifecycle.state();
  }

  /** Stops the executors; a check still running is interrupted. Idempotent. */
  @Override
  public void close() {
    time.close();
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

  private HealthReport evaluate(@Nullable HealthGroup group, List<RegisteredCheck> members) {
    long now = time.nanoTime();
    List<CompletableFuture<Outcome>> runs = new ArrayList<>(members.size());
    for (RegisteredCheck check : members) {
      runs.add(check.obtain(now));
    }
    HealthStatus overall = HealthStatus.UP;
    List<CheckReport> reports = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      HealthCheckRegistration registration = members.get(i).registration();
      Outcome outcome = members.get(i).await(runs.get(i), now);
      HealthResult result = outcome.result();
      reports.add(
          new CheckReport(
              registration.name(),
              result.status(),
              registration.critical(),
              Duration.ofNanos(outcome.durationNanos()),
              result.reason(),
              result.details()));
      overall = overall.worst(contribution(result.status(), registration.critical()));
    }
    return new HealthReport(group, overall, null, clock.instant(), reports);
  }

  private static HealthStatus contribution(HealthStatus status, boolean critical) {
    return status == HealthStatus.DOWN && !critical ? HealthStatus.DEGRADED : status;
  }

  HealthStatus cachedStatus(HealthGroup group) {
    if (override(group, lifecycle.state()) != null) {
      return HealthStatus.DOWN;
    }
    long now = time.nanoTime();
    HealthStatus overall = HealthStatus.UP;
    for (RegisteredCheck check : checks) {
      if (check.in(group)) {
        Outcome latest = check.view(now);
        if (latest != null) {
          overall =
              overall.worst(
                  contribution(latest.result().status(), check.registration().critical()));
        }
      }
    }
    return overall;
  }

  /** Builds a {@link HealthRegistry}. Not thread-safe. */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(2);
    private Duration cacheTtl = Duration.ofSeconds(1);
    private int threads = 4;
    private @Nullable MeterRegistry meters;
    private Lifecycle lifecycle = Lifecycle.SERVING;
    private @Nullable HealthTime time;
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

    /**
     * The clock and timers that ages, timeouts and background refreshes run by, instead of the
     * system's; for tests, which drive them without sleeping. The registry closes it.
     */
    Builder time(HealthTime time) {
      this.time = requireNonNull(time, "time");
      return this;
    }

    /** Builds it. */
    public HealthRegistry build() {
      return new HealthRegistry(this);
    }
  }
}
