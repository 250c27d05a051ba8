package dev.plimsoll.ops.health.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads health checks run on. Not API. */
public final class HealthExecutors {

  private HealthExecutors() {}

  /**
   * At most {@code threads} checks at once on daemon threads that end when idle, with a bounded
   * queue: a flood of slow checks is rejected rather than piled up.
   */
  public static ThreadPoolExecutor forChecks(int threads) {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            daemonThreads("plimsoll-health-"));
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
