package dev.plimsoll.ops.servlet;

import dev.plimsoll.ops.Plimsoll;
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
 * A Jetty server with Plimsoll installed and a {@code /slow?ms=N} endpoint, whose graceful stop is
 * Plimsoll's server-stop phase. Also runs as a child JVM's main for the SIGTERM test: it prints
 * {@code PORT <n>} on standard error once it serves.
 */
final class SlowServer {

  final Server server;
  final int port;

  SlowServer(Plimsoll plimsoll) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Slow()), "/slow");
    context.addEventListener(
        new ServletContextListener() {
          @Override
          public void contextInitialized(ServletContextEvent event) {
            PlimsollServlets.install(event.getServletContext(), plimsoll);
          }
        });
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
    plimsoll.shutdown().onServerStop(server::stop);
  }

  public static void main(String[] args) throws Exception {
    Plimsoll plimsoll = Plimsoll.create(); // settings from the OPS_* variables the test sets
    SlowServer app = new SlowServer(plimsoll);
    System.err.println("PORT " + app.port);
    System.err.flush();
    app.server.join();
  }

  /** Answers 200 after {@code ms} milliseconds. */
  static final class Slow extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      long millis = Long.parseLong(request.getParameter("ms"));
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.sendError(500, "interrupted");
        return;
      }
      response.setContentType("application/json");
      response.getWriter().write("{\"slept_ms\":" + millis + "}");
    }
  }
}
