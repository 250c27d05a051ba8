package dev.plimsoll.ops.health.internal;

import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.health.HealthResult;
import org.jspecify.annotations.Nullable;

/**
 * The latest reported result of one check and how long probes may reuse it: for the cache TTL when
 * the check runs when probed, or until it is older than the maximum staleness when it is refreshed
 * in the background. Time is passed in; guarded by the owning check's lock. Not API.
 */
final class ResultCache {

  private final long ttlNanos;
  private final long staleNanos;
  private final boolean background;
  private @Nullable Outcome reported;

  /**
   * A cache that reuses a result for {@code ttlNanos}, or, when {@code background}, always, a
   * result older than {@code staleNanos} then counting as {@code DOWN} ({@code stale}).
   */
  ResultCache(long ttlNanos, long staleNanos, boolean background) {
    this.ttlNanos = ttlNanos;
    this.staleNanos = staleNanos;
    this.background = background;
  }

  /** The latest reported outcome as stored, or {@code null} before the first. */
  @Nullable Outcome latest() {
    return reported;
  }

  void store(Outcome outcome) {
    reported = outcome;
  }

  /** The reported outcome as a probe at {@code now} sees it, staleness applied. */
  @Nullable Outcome view(long now) {
    Outcome latest = reported;
    if (latest != null && background && now - latest.completedAt() > staleNanos) {
      return stale(latest);
    }
    return latest;
  }

  /**
   * What a probe at {@code now} gets without a run of its own, or {@code null} when it should run
   * the check: a background result always; otherwise one within the TTL, or the previous one while
   * a newer run is under way, so a slow dependency holds only the thread of the probe that started
   * it, not every probe's.
   */
  @Nullable Outcome reusable(long now, boolean runUnderWay) {
    Outcome latest = reported;
    if (latest == null) {
      return null;
    }
    if (background) {
      return view(now);
    }
    return now - latest.completedAt() < ttlNanos || runUnderWay ? latest : null;
  }

  private static Outcome stale(Outcome latest) {
    return new Outcome(
        HealthResult.down(HealthNames.STALE).withDetails(latest.result().details()),
        latest.completedAt(),
        latest.durationNanos());
  }
}
