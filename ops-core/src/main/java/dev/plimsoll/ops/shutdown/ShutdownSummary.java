package dev.plimsoll.ops.shutdown;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How a shutdown went.
 *
 * @param drained requests that finished after the shutdown began
 * @param stillRunning requests still running when the wait for them timed out
 * @param duration the whole shutdown, from the first phase to the last closer
 * @param failedClosers closers that threw, timed out or were skipped for lack of budget
 */
public record ShutdownSummary(
    long drained, int stillRunning, Duration duration, List<String> failedClosers) {

  /** Checks and copies the parts. */
  public ShutdownSummary {
    requireNonNull(duration, "duration");
    failedClosers = List.copyOf(failedClosers);
  }
}
