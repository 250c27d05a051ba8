package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.http.jdk.ObservingFilter;
import dev.plimsoll.ops.logging.LogFields;
import dev.plimsoll.ops.logging.PlimsollJsonEncoder;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.LogCapture;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import dev.plimsoll.ops.testsupport.OtlpReceiver.ReceivedSpan;
import dev.plimsoll.ops.testsupport.Scrape;
import io.opentelemetry.proto.common.v1.KeyValue;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same requests served by a servlet container through {@link PlimsollFilter} and by the JDK's
 * {@code HttpServer} through its adapter in ops-core's tests ({@link ObservingFilter}) give the
 * same metric series, the same SERVER spans and the same access-log fields: what a request reports
 * is decided by the request-observation seam, not by the adapter.
 */
class AdapterParityIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String PARENT_SPAN = "00f067aa0ba902b7";
  private static final String USER_AGENT = "parity/1.0";

  /** One request of the script: its path, and the status the client should see. */
  private record Step(String path, int status) {}

  private static final List<Step> SCRIPT =
      List.of(
          new Step("/hello", 200),
          new Step("/orders/42", 200),
          new Step("/orders/43", 200),
          new Step("/unavailable", 503),
          new Step("/nowhere", 404),
          // The application throws: Jetty answers 500, the JDK server drops the connection; both
          // are recorded as the 500 an uncommitted response becomes.
          new Step("/boom", -1));

  /** The span attributes of the HTTP semantic conventions Plimsoll records (docs/contract.md). */
  private static final Set<String> SPAN_ATTRIBUTES =
      Set.of(
          "http.request.method",
          "http.route",
          "http.response.status_code",
          "url.path",
          "url.scheme",
          "server.address",
          "server.port",
          "client.address",
          "user_agent.original");

  private static Side servlet;
  private static Side jdk;
  private static LogCapture logs;

  @BeforeAll
  static void start() throws Exception {
    servlet = new ServletSide();
    jdk = new JdkSide();
    // After both Plimsolls: building one reconfigures logback, which drops appenders added before.
    logs = LogCapture.attach(new PlimsollJsonEncoder());
    for (Side side : List.of(servlet, jdk)) {
      for (int i = 0; i < SCRIPT.size(); i++) {
        Step step = SCRIPT.get(i);
        int status = side.send(step.path(), requestId(i), traceId(i));
        assertThat(status).as(side + " " + step.path()).isEqualTo(expectedStatus(side, step));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (logs != null) {
      logs.close();
    }
    for (Side side : new Side[] {servlet, jdk}) {
      if (side != null) {
        side.close();
      }
    }
  }

  private static int expectedStatus(Side side, Step step) {
    return step.status() == -1 && side == servlet ? 500 : step.status();
  }

  private static String requestId(int step) {
    return "req-parity-" + step;
  }

  private static String traceId(int step) {
    return String.format("%032x", 0xa11ce000L + step);
  }

  @Test
  void bothAdaptersRecordTheSameMetricSeries() {
    Map<Map<String, String>, Double> fromServlet = servlet.requestCounts();
    Map<Map<String, String>, Double> fromJdk = jdk.requestCounts();

    assertThat(fromJdk).isEqualTo(fromServlet);
    assertThat(fromServlet)
        .containsEntry(series("GET", "/hello", "200", ""), 1.0)
        .containsEntry(series("GET", "/orders/*", "200", ""), 2.0)
        .containsEntry(series("GET", "/unavailable", "503", "503"), 1.0)
        .containsEntry(series("GET", "UNMATCHED", "404", ""), 1.0)
        .containsEntry(series("GET", "/boom", "500", "java.lang.IllegalStateException"), 1.0)
        .hasSize(5);
    for (Side side : List.of(servlet, jdk)) {
      Scrape scrape = side.scrape();
      assertThat(scrape.sum("http_server_active_requests", Map.of())).as(side.name()).isZero();
      assertThat(scrape.samples("ops_instrumentation_errors_total")).as(side.name()).isEmpty();
      assertThat(scrape.samples("http_server_request_duration_seconds_bucket"))
          .as(side.name() + ": histogram buckets")
          .hasSize(servlet.scrape().samples("http_server_request_duration_seconds_bucket").size());
    }
  }

  @Test
  void bothAdaptersMakeTheSameServerSpans() {
    for (int i = 0; i < SCRIPT.size(); i++) {
      Map<String, Object> fromServlet = servlet.span(traceId(i));
      Map<String, Object> fromJdk = jdk.span(traceId(i));
      assertThat(fromJdk).as(SCRIPT.get(i).path()).isEqualTo(fromServlet);
    }
    Map<String, Object> orders = servlet.span(traceId(1));
    assertThat(orders)
        .containsEntry("name", "GET /orders/*")
        .containsEntry("kind", "SPAN_KIND_SERVER")
        .containsEntry("parent", PARENT_SPAN);
    @SuppressWarnings("unchecked")
    Map<String, String> attributes = (Map<String, String>) orders.get("attributes");
    // Besides these, the Prometheus exemplar sampler marks the span it keeps ("exemplar").
    assertThat(attributes.keySet()).containsAll(SPAN_ATTRIBUTES);
    assertThat(attributes)
        .containsEntry("url.path", "/orders/42")
        .containsEntry("http.route", "/orders/*")
        .containsEntry("client.address", "127.0.0.1")
        .containsEntry("user_agent.original", USER_AGENT)
        .containsEntry("server.port", "(the server's own port)");
    assertThat(servlet.span(traceId(5)))
        .containsEntry("status", "STATUS_CODE_ERROR")
        .containsEntry("events", List.of("exception java.lang.IllegalStateException"));
  }

  @Test
  void bothAdaptersWriteTheSameAccessLogFields() {
    for (int i = 0; i < SCRIPT.size(); i++) {
      Map<String, Object> fromServlet = servlet.accessLine(requestId(i), traceId(i));
      Map<String, Object> fromJdk = jdk.accessLine(requestId(i), traceId(i));
      assertThat(fromJdk).as(SCRIPT.get(i).path()).isEqualTo(fromServlet);
    }
    assertThat(servlet.accessLine(requestId(4), traceId(4)))
        .containsEntry("request_id", requestId(4))
        .containsEntry("trace_id", traceId(4))
        .containsEntry("http.route", "UNMATCHED")
        .containsEntry("url.path", "/nowhere")
        .containsEntry("http.response.status_code", 404)
        .containsEntry("client.address", "127.0.0.1")
        .containsEntry("user_agent.original", USER_AGENT);
  }

  private static Map<String, String> series(
      String method, String route, String status, String errorType) {
    return Map.of(
        "http_request_method", method,
        "http_route", route,
        "http_response_status_code", status,
        "error_type", errorType,
        "service_name", "parity",
        "service_version", "1.0.0",
        "deployment_environment", "test");
  }

  /** A server with Plimsoll in front, and its own OTLP receiver. */
  private abstract static class Side implements AutoCloseable {
    final OtlpReceiver otlp = OtlpReceiver.start();
    final Plimsoll plimsoll;

    Side() {
      Map<String, String> settings = new HashMap<>();
      settings.put("ops.service.name", "parity");
      settings.put("ops.service.version", "1.0.0");
      settings.put("ops.environment", "test");
      settings.put("ops.shutdown.hook", "false");
      settings.put("otel.exporter.otlp.endpoint", otlp.endpoint());
      settings.put("otel.bsp.schedule.delay", "50");
      plimsoll = Plimsoll.builder().settings(OpsSettings.from(ConfigSource.of(settings))).build();
    }

    abstract String name();

    abstract int port();

    @Override
    public String toString() {
      return name();
    }

    /** Sends one GET on its own connection, exactly the same bytes to either server. */
    int send(String path, String requestId, String traceId) throws IOException {
      try (Socket socket = new Socket("127.0.0.1", port())) {
        socket.setSoTimeout(10_000);
        String request =
            "GET "
                + path
                + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:"
                + port()
                + "\r\n"
                + "User-Agent: "
                + USER_AGENT
                + "\r\n"
                + "X-Request-ID: "
                + requestId
                + "\r\n"
                + "traceparent: 00-"
                + traceId
                + "-"
                + PARENT_SPAN
                + "-01\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String response;
        try {
          response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException reset) {
          return -1;
        }
        if (!response.startsWith("HTTP/1.1 ")) {
          return -1;
        }
        return Integer.parseInt(response.substring(9, 12));
      }
    }

    Scrape scrape() {
      return Scrape.parse(plimsoll.metrics().scrape(null));
    }

    /** Requests recorded by label set, once every request of the script has ended. */
    Map<Map<String, String>, Double> requestCounts() {
      for (int i = 0; i < SCRIPT.size(); i++) {
        accessLine(requestId(i), traceId(i));
      }
      return scrape().samples("http_server_request_duration_seconds_count").stream()
          .collect(Collectors.toMap(sample -> sample.labels(), sample -> sample.value()));
    }

    /** The SERVER span of a trace: name, kind, parent, status, attributes and events. */
    Map<String, Object> span(String traceId) {
      ReceivedSpan span =
          Await.until(
              name() + "'s span of trace " + traceId,
              WAIT,
              () ->
                  otlp.spans().stream()
                      .filter(s -> s.traceId().equals(traceId))
                      .findFirst()
                      .orElse(null));
      Map<String, String> attributes = new TreeMap<>();
      for (KeyValue kv : span.span().getAttributesList()) {
        attributes.put(kv.getKey(), span.attribute(kv.getKey()));
      }
      // Each server listens on its own port; that it is the one the client addressed is checked.
      assertThat(attributes.get("server.port")).isEqualTo(Integer.toString(port()));
      attributes.put("server.port", "(the server's own port)");
      // The Prometheus exemplar sampler marks the spans it keeps as exemplars ("exemplar"), at most
      // one per bucket per interval: which requests it picks depends on timing, not on the adapter.
      attributes.remove("exemplar");
      Map<String, Object> summary = new TreeMap<>();
      summary.put("name", span.span().getName());
      summary.put("kind", span.span().getKind().name());
      summary.put("parent", span.parentSpanId());
      summary.put("status", span.span().getStatus().getCode().name());
      summary.put("attributes", attributes);
      summary.put(
          "events",
          span.span().getEventsList().stream()
              .map(
                  e ->
                      e.getName()
                          + " "
                          + e.getAttributesList().stream()
                              .filter(a -> a.getKey().equals("exception.type"))
                              .map(a -> a.getValue().getStringValue())
                              .findFirst()
                              .orElse(""))
              .toList());
      return summary;
    }

    /**
     * The access-log line of a request, without what differs from one run to the next: the time,
     * the thread, the duration and the span ID (present, and the span's own, on both sides).
     */
    Map<String, Object> accessLine(String requestId, String traceId) {
      Map<String, Object> line =
          Await.until(
              name() + "'s access line of " + requestId,
              WAIT,
              () ->
                  logs.json().stream()
                      .filter(l -> LogFields.ACCESS_LOGGER.equals(l.get("logger")))
                      .filter(l -> requestId.equals(l.get("request_id")))
                      .filter(l -> spanOf(traceId).equals(l.get("span_id")))
                      .findFirst()
                      .orElse(null));
      Map<String, Object> fields = new TreeMap<>(line);
      assertThat(fields).containsKeys("duration_ms", "span_id");
      for (String varying :
          List.of("@timestamp", "timestamp", "thread", "duration_ms", "span_id")) {
        fields.remove(varying);
      }
      return fields;
    }

    private String spanOf(String traceId) {
      return Await.until(
          name() + "'s span ID in trace " + traceId,
          WAIT,
          () ->
              otlp.spans().stream()
                  .filter(s -> s.traceId().equals(traceId))
                  .map(ReceivedSpan::spanId)
                  .findFirst()
                  .orElse(null));
    }

    @Override
    public void close() throws Exception {
      plimsoll.close();
      otlp.close();
    }
  }

  /** Jetty, with Plimsoll installed as the README shows. */
  private static final class ServletSide extends Side {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    ServletSide() throws Exception {
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(new ServletHolder(new Answer(200)), "/hello");
      context.addServlet(new ServletHolder(new Answer(200)), "/orders/*");
      context.addServlet(new ServletHolder(new Answer(503)), "/unavailable");
      context.addServlet(new ServletHolder(new Answer(-1)), "/boom");
      context.addEventListener(
          new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
              PlimsollServlets.install(event.getServletContext(), plimsoll);
            }
          });
      server.setHandler(context);
      server.start();
    }

    @Override
    String name() {
      return "servlet";
    }

    @Override
    int port() {
      return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.stop();
      super.close();
    }
  }

  /** The JDK's HttpServer, with the adapter on every context. */
  private static final class JdkSide extends Side {
    private final HttpServer server;

    JdkSide() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      // Routes as the servlet mappings name them; the root context matches nothing.
      Map<String, String> routes =
          Map.of(
              "/hello", "/hello",
              "/orders/", "/orders/*",
              "/unavailable", "/unavailable",
              "/boom", "/boom");
      ObservingFilter filter =
          new ObservingFilter(
              plimsoll.httpServer(), exchange -> route(routes, exchange.getHttpContext()));
      add("/hello", exchange -> respond(exchange, 200), filter);
      add("/orders/", exchange -> respond(exchange, 200), filter);
      add("/unavailable", exchange -> respond(exchange, 503), filter);
      add("/boom", exchange -> respond(exchange, -1), filter);
      add("/", exchange -> respond(exchange, 404), filter);
      server.start();
    }

    private static @Nullable String route(Map<String, String> routes, HttpContext context) {
      return routes.get(context.getPath());
    }

    private void add(String path, HttpHandler handler, ObservingFilter filter) {
      server.createContext(path, handler).getFilters().add(filter);
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
      try {
        if (status == -1) {
          throw new IllegalStateException("application failed on purpose");
        }
        byte[] body = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
      } finally {
        exchange.close();
      }
    }

    @Override
    String name() {
      return "jdk";
    }

    @Override
    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() throws Exception {
      server.stop(0);
      super.close();
    }
  }

  /** Answers with a status, or throws for -1, as an application does. */
  private static final class Answer extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final int status;

    Answer(int status) {
      this.status = status;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (status == -1) {
        throw new IllegalStateException("application failed on purpose");
      }
      if (status >= 500) {
        resp.sendError(status);
        return;
      }
      resp.setStatus(status);
      resp.setContentType("application/json");
      resp.getWriter().write("{\"hello\":\"world\"}");
    }
  }
}
