package dev.plimsoll.ops.health.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.health.HealthResult;

/**
 * One run's result, when it ended and how long it took, both in nanoseconds of the {@link
 * HealthTime} in use. Not API.
 *
 * @param result what the run found
 * @param completedAt when it ended
 * @param durationNanos how long it took (a timed-out run counts its timeout)
 */
public record Outcome(HealthResult result, long completedAt, long durationNanos) {

  /** Checks the result. */
  public Outcome {
    requireNonNull(result, "result");
  }
}
