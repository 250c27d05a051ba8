package dev.plimsoll.ops.health;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A liveness check: down with reason {@code deadlock} when threads are deadlocked on monitors or
 * locks, which only a restart can cure. The details name up to ten of them.
 */
public final class DeadlockHealthCheck implements HealthCheck {

  private final ThreadMXBean threads;

  DeadlockHealthCheck(ThreadMXBean threads) {
    this.threads = threads;
  }

  /** A check of this JVM's threads. */
  public static DeadlockHealthCheck create() {
    return new DeadlockHealthCheck(ManagementFactory.getThreadMXBean());
  }

  @Override
  public HealthResult check() {
    long[] ids = threads.findDeadlockedThreads();
    if (ids == null || ids.length == 0) {
      return HealthResult.up();
    }
    List<String> names = new ArrayList<>();
    for (ThreadInfo info : threads.getThreadInfo(ids)) {
      if (info != null && names.size() < 10) {
        names.add(info.getThreadName());
      }
    }
    return HealthResult.down("deadlock")
        .withDetail("threads", names)
        .withDetail("count", ids.length);
  }
}
