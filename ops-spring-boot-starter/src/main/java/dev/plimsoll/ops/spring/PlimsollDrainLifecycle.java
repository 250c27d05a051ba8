package dev.plimsoll.ops.spring;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.shutdown.ShutdownCoordinator;
import dev.plimsoll.ops.shutdown.ShutdownSummary;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs Plimsoll's drain (readiness down, drain delay, in-flight requests) when the context stops,
 * in a phase just above Spring Boot's web server graceful shutdown, so the server keeps serving
 * until the drain is over.
 */
public final class PlimsollDrainLifecycle implements SmartLifecycle {

  /**
   * One above {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}: higher phases stop
   * first.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024 + 1;

  private final ShutdownCoordinator shutdown;
  private volatile boolean running;
  private volatile @Nullable ShutdownSummary summary;

  /** Drains through {@code shutdown}. */
  public PlimsollDrainLifecycle(ShutdownCoordinator shutdown) {
    this.shutdown = requireNonNull(shutdown, "shutdown");
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    try {
      summary = shutdown.drain();
    } finally {
      running = false;
    }
  }

  /** Whether a drain ran and left no request running when its timeout came. */
  public boolean drainedCleanly() {
    ShutdownSummary done = summary;
    return done != null && done.stillRunning() == 0;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
