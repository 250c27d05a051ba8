package dev.plimsoll.ops.shutdown.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The one rule the shutdown durations must follow: the drain delay plus the wait for in-flight
 * requests fit in the budget, so the closers are never left with no time at all by design. Both the
 * settings' validation and the coordinator's builder ask it. Not API.
 */
public final class ShutdownBudget {

  private ShutdownBudget() {}

  /** Whether {@code drainDelay} plus {@code timeout} is at most {@code budget}. */
  public static boolean fits(Duration drainDelay, Duration timeout, Duration budget) {
    requireNonNull(drainDelay, "drainDelay");
    requireNonNull(timeout, "timeout");
    requireNonNull(budget, "budget");
    return drainDelay.plus(timeout).compareTo(budget) <= 0;
  }
}
