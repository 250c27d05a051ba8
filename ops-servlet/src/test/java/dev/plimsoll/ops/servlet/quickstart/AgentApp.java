package dev.plimsoll.ops.servlet.quickstart;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.servlet.PlimsollServlets;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A plain servlet application instrumented as the README's quickstart says, on Jetty 12, whose
 * servlet makes a span of its own through Plimsoll's tracing API; {@link AgentIT} starts it in a
 * child JVM with and without the OpenTelemetry Java agent.
 */
final class AgentApp {

  static final String PORT = "PORT ";
  static final String WORK_SPAN = "work";

  private AgentApp() {}

  public static void main(String[] args) throws Exception {
    Plimsoll plimsoll = Plimsoll.create();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder work = new ServletHolder(new Work(plimsoll));
    context.addServlet(work, "/fresh");
    context.addServlet(work, "/continued");
    context.addEventListener(
        new ServletContextListener() {
          @Override
          public void contextInitialized(ServletContextEvent event) {
            PlimsollServlets.install(event.getServletContext(), plimsoll);
          }

          @Override
          public void contextDestroyed(ServletContextEvent event) {
            plimsoll.close();
          }
        });
    server.setHandler(context);
    server.start();
    System.err.println(PORT + connector.getLocalPort());
    server.join();
  }

  /** Answers after a span of its own, made with the tracer Plimsoll hands the application. */
  static final class Work extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Plimsoll plimsoll;

    Work(Plimsoll plimsoll) {
      this.plimsoll = plimsoll;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Span span = plimsoll.tracing().tracer().spanBuilder(WORK_SPAN).startSpan();
      try (Scope ignored = span.makeCurrent()) {
        resp.setContentType("application/json");
        resp.getWriter().write("{\"done\":true}");
      } finally {
        span.end();
      }
    }
  }
}
