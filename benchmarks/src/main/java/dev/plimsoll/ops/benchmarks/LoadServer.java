package dev.plimsoll.ops.benchmarks;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.servlet.PlimsollServlets;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * The server of the load harness: embedded Jetty 12 with one servlet answering {@code GET
 * /api/orders/42} with a small JSON body. {@code java -cp benchmarks.jar
 * dev.plimsoll.ops.benchmarks.LoadServer <variant> <port>}, variant one of {@code bare} (no
 * instrumentation, also used under the OpenTelemetry agent), {@code plimsoll} (every feature on:
 * metrics, sampled spans to a discarding exporter, access log as JSON on standard output through
 * {@code PlimsollConsoleAppender}), {@code plimsoll-nolog} (the same, access log off) and {@code
 * plimsoll-sampled} (every feature on, the access log sampled at {@code
 * ops.access-log.sample-rate=0.01}: errors and slow requests, and 1 % of the others).
 */
public final class LoadServer {

  private LoadServer() {}

  public static void main(String[] args) throws Exception {
    String variant = args.length > 0 ? args[0] : "bare";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    Plimsoll plimsoll =
        switch (variant) {
          case "bare" -> null;
          case "plimsoll" -> Bench.plimsoll(true, true, 512);
          case "plimsoll-nolog" -> Bench.plimsoll(true, false, 512);
          case "plimsoll-sampled" ->
              Bench.plimsoll(true, true, 512, Map.of("ops.access-log.sample-rate", "0.01"));
          default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    if (plimsoll != null) {
      Bench.logToConsole();
    }
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Orders()), "/api/orders/*");
    if (plimsoll != null) {
      context.addEventListener(new Installer(plimsoll));
    }
    server.setHandler(context);
    server.start();
    System.out.println("LoadServer " + variant + " listening on " + connector.getLocalPort());
    server.join();
  }

  /** Installs Plimsoll the way the README shows. */
  private static final class Installer implements ServletContextListener {
    private final Plimsoll plimsoll;

    Installer(Plimsoll plimsoll) {
      this.plimsoll = plimsoll;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
      PlimsollServlets.install(event.getServletContext(), plimsoll);
    }
  }

  /** The trivial endpoint. */
  private static final class Orders extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] BODY =
        "{\"id\":42,\"status\":\"shipped\",\"items\":3}".getBytes(StandardCharsets.UTF_8);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("application/json");
      response.setContentLength(BODY.length);
      response.getOutputStream().write(BODY);
    }

    @Override
    public @Nullable String getServletInfo() {
      return null;
    }
  }
}
