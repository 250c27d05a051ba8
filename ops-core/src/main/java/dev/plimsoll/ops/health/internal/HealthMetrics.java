package dev.plimsoll.ops.health.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.health.HealthStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Binds the health meters: each group's status, and each check's status and run duration per group.
 * The gauges hold their owners weakly, as Micrometer's do, so a registry dropped without being
 * closed is not kept alive by its meters. Not API.
 */
public final class HealthMetrics {

  private final @Nullable MeterRegistry meters;

  /** Binds into {@code meters}, or nowhere when {@code null}. */
  public HealthMetrics(@Nullable MeterRegistry meters) {
    this.meters = meters;
  }

  /** Registers {@link HealthNames#GROUP_STATUS} for every group, read from {@code owner}. */
  public <T> void bindGroups(T owner, BiFunction<T, HealthGroup, HealthStatus> status) {
    requireNonNull(owner, "owner");
    requireNonNull(status, "status");
    if (meters == null) {
      return;
    }
    for (HealthGroup group : HealthGroup.values()) {
      Gauge.builder(HealthNames.GROUP_STATUS, owner, o -> status.apply(o, group).gaugeValue())
          .description(
              "Status of each probe group from the latest results: 1 up, 0.5 degraded, 0 down.")
          .tag(HealthNames.GROUP, group.label())
          .register(meters);
    }
  }

  /**
   * Registers {@link HealthNames#CHECK_STATUS} (read from {@code owner}) and {@link
   * HealthNames#CHECK_DURATION} for each group of {@code registration}.
   *
   * @return where the check's run durations are recorded
   */
  <T> CheckTimers bindCheck(
      HealthCheckRegistration registration, T owner, ToDoubleFunction<T> status) {
    if (meters == null) {
      return CheckTimers.NONE;
    }
    List<Timer> timers = new ArrayList<>();
    for (HealthGroup group : registration.groups()) {
      Gauge.builder(HealthNames.CHECK_STATUS, owner, status)
          .description("Status of each health check: 1 up, 0.5 degraded, 0 down.")
          .tag(HealthNames.CHECK, registration.name())
          .tag(HealthNames.GROUP, group.label())
          .tag(HealthNames.CRITICAL, Boolean.toString(registration.critical()))
          .register(meters);
      timers.add(
          Timer.builder(HealthNames.CHECK_DURATION)
              .description("Duration of each health check run; a timed-out run counts its timeout.")
              .tag(HealthNames.CHECK, registration.name())
              .tag(HealthNames.GROUP, group.label())
              .register(meters));
    }
    return new CheckTimers(timers);
  }

  /** The duration timers of one check, one per group. */
  static final class CheckTimers {
    static final CheckTimers NONE = new CheckTimers(List.of());

    private final List<Timer> timers;

    private CheckTimers(List<Timer> timers) {
      this.timers = List.copyOf(timers);
    }

    void record(long durationNanos) {
      for (Timer timer : timers) {
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
      }
    }
  }
}
