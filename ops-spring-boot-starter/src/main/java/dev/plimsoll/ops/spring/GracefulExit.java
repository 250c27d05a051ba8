package dev.plimsoll.ops.spring;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a clean shutdown on SIGTERM exit with status 0 rather than the JVM's 143: it notes that
 * SIGTERM arrived (then lets the JVM's own handler start the shutdown as usual), and once Spring
 * has closed every context it halts with 0 if the drain left no request running. An exit through
 * {@code System.exit} keeps its own status. Uses {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}) through reflection; where that is missing, nothing changes.
 *
 * <p>Halting ends the JVM without waiting for the shutdown hooks still running beside Spring's,
 * such as an OpenTelemetry agent's final span export or an application's own clean-up: it waits for
 * them first. They are told apart from other threads without reaching into the JDK: a shutdown hook
 * is a thread created before SIGTERM (registering it created it) and started after it (the JVM
 * starts them all as the shutdown begins), while threads the hooks start are created after SIGTERM.
 * Should they still run after {@link #HOOKS_WAIT}, it does not halt: the JVM finishes them and
 * exits with 143.
 */
final class GracefulExit {

  /** How long to wait for the other shutdown hooks before leaving the exit to the JVM. */
  static final Duration HOOKS_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(GracefulExit.class);
  private static final AtomicBoolean WATCHING = new AtomicBoolean();
  private static volatile @Nullable SigtermMoment sigterm;

  /**
   * What the threads were when SIGTERM arrived: the ID of the thread running the signal handler
   * (the JVM creates it for the signal, so every thread created before has a smaller ID) and the
   * IDs of the threads alive then.
   */
  private record SigtermMoment(long handlerThreadId, Set<Long> alive) {}

  private GracefulExit() {}

  /** Starts noting SIGTERM; idempotent. */
  static void watchSigterm() {
    if (!WATCHING.compareAndSet(false, true)) {
      return;
    }
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object term = signalType.getConstructor(String.class).newInstance("TERM");
      Method handle = signalType.getMethod("handle", signalType, handlerType);
      Object[] previous = new Object[1];
      InvocationHandler noteThenDelegate =
          (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
              noteSigterm();
              if (previous[0] != null) {
                handlerType.getMethod("handle", signalType).invoke(previous[0], args[0]);
              }
              return null;
            }
            return switch (method.getName()) {
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              default -> "Plimsoll SIGTERM watcher";
            };
          };
      Object handler =
          Proxy.newProxyInstance(
              GracefulExit.class.getClassLoader(), new Class<?>[] {handlerType}, noteThenDelegate);
      previous[0] = handle.invoke(null, term, handler);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.debug("SIGTERM cannot be watched here; a SIGTERM exit keeps status 143", e);
    }
  }

  /** Called on the thread that handles the signal, before the JVM's shutdown starts. */
  private static void noteSigterm() {
    if (sigterm == null) {
      sigterm =
          new SigtermMoment(
              Thread.currentThread().getId(),
              Thread.getAllStackTraces().keySet().stream()
                  .map(Thread::getId)
                  .collect(Collectors.toUnmodifiableSet()));
    }
  }

  /**
   * Halts with 0 when SIGTERM started this shutdown and {@code clean}, once the other shutdown
   * hooks have finished; flushes logging first, as halting skips the JVM's own last steps.
   */
  static void exitZeroIfClean(boolean clean, @Nullable Runnable flushLogging) {
    SigtermMoment moment = sigterm;
    if (moment == null || !clean) {
      return;
    }
    List<Thread> running = otherShutdownHooks(moment);
    if (!awaitAll(running, HOOKS_WAIT)) {
      LOG.info(
          "Other shutdown hooks still run after {}: the JVM finishes them and exits with 143 ({})",
          HOOKS_WAIT,
          running.stream().filter(Thread::isAlive).map(Thread::getName).toList());
      return;
    }
    if (flushLogging != null) {
      flushLogging.run();
    }
    Runtime.getRuntime().halt(0);
  }

  /** The running threads that are shutdown hooks, this one aside. */
  private static List<Thread> otherShutdownHooks(SigtermMoment moment) {
    List<Thread> hooks = new ArrayList<>();
    Thread self = Thread.currentThread();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      long id = thread.getId();
      if (thread != self
          && id < moment.handlerThreadId()
          && !moment.alive().contains(id)
          && thread.isAlive()) {
        hooks.add(thread);
      }
    }
    return hooks;
  }

  /** Joins every thread within {@code timeout}; whether all have ended. */
  private static boolean awaitAll(List<Thread> threads, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (Thread thread : threads) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        thread.join(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }
}
