package dev.plimsoll.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Adds latency and errors to {@code /tasks} when {@code tasks.demo.enabled=true}, so dashboards and
 * alerts can be exercised. Registered only when enabled.
 */
final class DemoFaults implements HandlerInterceptor {

  private final TasksProperties.Demo demo;

  DemoFaults(TasksProperties.Demo demo) {
    this.demo = demo;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws InterruptedException {
    long millis = demo.latency().toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
    if (demo.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < demo.errorRate()) {
      throw new DemoFaultException();
    }
    return true;
  }

  /** The injected failure. */
  static final class DemoFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoFaultException() {
      super("demo fault injected (tasks.demo.enabled=true)");
    }
  }
}
