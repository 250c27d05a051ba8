package dev.plimsoll.ops.spring;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a clean shutdown on SIGTERM exit with status 0 rather than the JVM's 143: it notes that
 * SIGTERM arrived (then lets the JVM's own handler start the shutdown as usual), and once Spring
 * has closed every context it halts with 0 if the drain left no request running. An exit through
 * {@code System.exit} keeps its own status. Uses {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}) through reflection; where that is missing, nothing changes.
 */
final class GracefulExit {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulExit.class);
  private static final AtomicBoolean WATCHING = new AtomicBoolean();
  private static final AtomicBoolean SIGTERM = new AtomicBoolean();

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
              SIGTERM.set(true);
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

  /** Whether SIGTERM has arrived. */
  static boolean sigtermReceived() {
    return SIGTERM.get();
  }

  /**
   * Halts with 0 when SIGTERM started this shutdown and {@code clean}; flushes logging first, as
   * halting skips whatever shutdown hooks are left.
   */
  static void exitZeroIfClean(boolean clean, @Nullable Runnable flushLogging) {
    if (!SIGTERM.get() || !clean) {
      return;
    }
    if (flushLogging != null) {
      flushLogging.run();
    }
    Runtime.getRuntime().halt(0);
  }
}
