package dev.plimsoll.ops.servlet;

import dev.plimsoll.ops.Plimsoll;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty server with Plimsoll installed, a {@code /slow?ms=N} endpoint and a {@code /held} one
 * that answers once the test counts {@link #release} down, whose graceful stop is Plimsoll's
 * server-stop phase. Also runs as a child JVM's main for the SIGTERM test: it prints {@code PORT
 * <n>} on standard error once it serves.
 */
final class SlowServer {

  final Server server;
  final int port;

  /** Holds every {@code /held} request until counted down (for at most a minute). */
  final CountDownLatch release = new CountDownLatch(1);

  SlowServer(Plimsoll plimsoll) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Slow()), "/slow");
    context.addServlet(new ServletHolder(new Held(release)), "/held");
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

  /** Answers 200 once {@code release} is counted down. */
  static final class Held extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient CountDownLatch release;

    Held(CountDownLatch release) {
      this.release = release;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      try {
        if (!release.await(1, TimeUnit.MINUTES)) {
          response.sendError(500, "never released");
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.sendError(500, "interrupted");
        return;
      }
      response.setContentType("application/json");
      response.getWriter().write("{\"released\":true}");
    }
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
