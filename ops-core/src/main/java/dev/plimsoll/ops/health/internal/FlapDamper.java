package dev.plimsoll.ops.health.internal;

import dev.plimsoll.ops.health.HealthStatus;
import org.jspecify.annotations.Nullable;

/**
 * Damps flapping: the reported status turns bad only after enough consecutive bad runs, and up only
 * after enough consecutive good ones. Deterministic: it reads no clock and starts no thread; its
 * only state is the current streak. Not thread-safe. Not API.
 */
final class FlapDamper {

  private final int failuresToDown;
  private final int successesToUp;
  private boolean streakGood;
  private int streak;

  /**
   * Changes the report after {@code failuresToDown} bad runs or {@code successesToUp} good ones.
   */
  FlapDamper(int failuresToDown, int successesToUp) {
    if (failuresToDown < 1 || successesToUp < 1) {
      throw new IllegalArgumentException("failures and successes must be at least 1");
    }
    this.failuresToDown = failuresToDown;
    this.successesToUp = successesToUp;
  }

  /**
   * What to report after the run that gave {@code next}, {@code previous} being what was reported
   * so far: {@code next} itself, or, while a change is damped, the previous result as fresh as
   * {@code next}.
   */
  Outcome damp(@Nullable Outcome previous, Outcome next) {
    boolean good = next.result().status() == HealthStatus.UP;
    if (previous == null || good == (previous.result().status() == HealthStatus.UP)) {
      streak = 0;
      return next;
    }
    streak = good == streakGood ? streak + 1 : 1;
    streakGood = good;
    if (streak < (good ? successesToUp : failuresToDown)) {
      return new Outcome(previous.result(), next.completedAt(), next.durationNanos());
    }
    streak = 0;
    return next;
  }
}
