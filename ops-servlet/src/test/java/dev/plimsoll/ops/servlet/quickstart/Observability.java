package dev.plimsoll.ops.servlet.quickstart;

// tag::quickstart[]
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.servlet.PlimsollServlets;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

@WebListener
public final class Observability implements ServletContextListener {
  private final Plimsoll plimsoll = Plimsoll.create(); // reads OPS_* and OTEL_* settings

  @Override
  public void contextInitialized(ServletContextEvent event) {
    PlimsollServlets.install(event.getServletContext(), plimsoll); // filter, /metrics, /health
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    plimsoll.close(); // flushes spans, stops the health checks
  }
}
// end::quickstart[]
