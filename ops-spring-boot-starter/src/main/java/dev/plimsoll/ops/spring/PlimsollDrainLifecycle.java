package dev.plimsoll.ops.spring;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.shutdown.ShutdownCoordinator;
import dev.plimsoll.ops.shutdown.ShutdownSummary;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs Plimsoll's drain (readiness down, drain delay, in-flight requests) when the context stops
 * because the JVM shuts down, in a phase just above Spring Boot's web server graceful shutdown, so
 * the server keeps serving until the drain is over; then the steps that must come before that
 * graceful shutdown ({@link JulBridgeAfterReset}, {@link TomcatListenerClose}).
 */
final class PlimsollDrainLifecycle implements SmartLifecycle {

  /**
   * One above {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}: higher phases stop
   * first.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024 + 1;

  private final ShutdownCoordinator shutdown;
  private final Runnable afterDrain;
  private final BooleanSupplier jvmShuttingDown;
  private volatile boolean running;
  private volatile @Nullable ShutdownSummary summary;

  /**
   * Drains through {@code shutdown} when the JVM shuts down, then runs {@code afterDrain} (which
   * must not throw).
   */
  PlimsollDrainLifecycle(ShutdownCoordinator shutdown, Runnable afterDrain) {
    this(shutdown, afterDrain, PlimsollDrainLifecycle::jvmShuttingDown);
  }

  PlimsollDrainLifecycle(
      ShutdownCoordinator shutdown, Runnable afterDrain, BooleanSupplier jvmShuttingDown) {
    this.shutdown = requireNonNull(shutdown, "shutdown");
    this.afterDrain = requireNonNull(afterDrain, "afterDrain");
    this.jvmShuttingDown = requireNonNull(jvmShuttingDown, "jvmShuttingDown");
  }

  /** Whether the JVM has begun its shutdown: it then refuses new shutdown hooks. */
  static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> {}, "plimsoll-shutdown-probe");
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  @Override
  public void start() {
    running = true;
  }

  /**
   * Drains when the JVM is shutting down (SIGTERM, {@code System.exit}); a context stopped, paused
   * or closed while the JVM goes on (a test context cache, DevTools) stops at once and serves
   * normally when started again.
   */
  @Override
  public void stop() {
    try {
      if (jvmShuttingDown.getAsBoolean()) {
        summary = shutdown.drain();
        afterDrain.run();
      }
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
