package dev.plimsoll.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Adds latency and errors to {@code /tasks} when {@code tasks.demo.enabled=true}, so dashboards and
 * alerts can be exercised. Registered only when enabled. A request may ask for its own latency with
 * the {@code demo_latency_ms} query parameter (up to one minute), so a test can keep a few slow
 * requests in flight among fast ones.
 */
final class DemoFaults implements HandlerInterceptor {

  /** The query parameter that sets one request's latency, in milliseconds. */
  static final String LATENCY_PARAMETER = "demo_latency_ms";

  private static final long MAX_REQUESTED_MILLIS = 60_000;

  private final TasksProperties.Demo demo;

  DemoFaults(TasksProperties.Demo demo) {
    this.demo = demo;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws InterruptedException {
    long millis = latencyMillis(request.getParameter(LATENCY_PARAMETER));
    if (millis > 0) {
      Thread.sleep(millis);
    }
    if (demo.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < demo.errorRate()) {
      throw new DemoFaultException();
    }
    return true;
  }

  private long latencyMillis(String requested) {
    if (requested != null) {
      try {
        return Math.min(Math.max(Long.parseLong(requested), 0), MAX_REQUESTED_MILLIS);
      } catch (NumberFormatException ignored) {
        // Not a number: the configured latency applies.
      }
    }
    return demo.latency().toMillis();
  }

  /** The injected failure. */
  static final class DemoFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoFaultException() {
      super("demo fault injected (tasks.demo.enabled=true)");
    }
  }
}
