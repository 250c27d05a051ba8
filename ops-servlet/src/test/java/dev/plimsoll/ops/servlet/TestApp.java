package dev.plimsoll.ops.servlet;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.logging.PlimsollJsonEncoder;
import dev.plimsoll.ops.testsupport.LogCapture;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import dev.plimsoll.ops.testsupport.Scrape;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A real Jetty 12 server with Plimsoll installed the way the README shows, a few servlets that
 * behave like an application (JSON, errors, async, logging), an OTLP receiver and a log capture.
 */
final class TestApp implements AutoCloseable {

  static final String SERVICE = "checkout";
  static final String VERSION = "1.2.3";
  static final String REVISION = "abc123";
  static final String ENVIRONMENT = "test";
  static final int MAX_ROUTES = 50;

  /** Jetty's own default. */
  static final int DEFAULT_MAX_THREADS = 200;

  private static final Logger APP_LOG = LoggerFactory.getLogger("app");

  final OtlpReceiver otlp;
  final Plimsoll plimsoll;
  final LogCapture logs;
  final Server server;
  final QueuedThreadPool threads;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;
  final List<String> leftoverMdc = new CopyOnWriteArrayList<>();

  TestApp(Map<String, String> extraSettings) throws Exception {
    this(extraSettings, DEFAULT_MAX_THREADS);
  }

  /** With at most {@code maxThreads} in Jetty's pool, selector and acceptor threads included. */
  TestApp(Map<String, String> extraSettings, int maxThreads) throws Exception {
    otlp = OtlpReceiver.start();
    Map<String, String> settings = new HashMap<>();
    settings.put("ops.service.name", SERVICE);
    settings.put("ops.service.version", VERSION);
    settings.put("ops.vcs.revision", REVISION);
    settings.put("ops.environment", ENVIRONMENT);
    settings.put("ops.metrics.max-routes", Integer.toString(MAX_ROUTES));
    settings.put("otel.exporter.otlp.endpoint", otlp.endpoint());
    settings.put("otel.bsp.schedule.delay", "50");
    settings.putAll(extraSettings);
    plimsoll = Plimsoll.builder().settings(OpsSettings.from(ConfigSource.of(settings))).build();

    PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
    encoder.setServiceName(SERVICE);
    encoder.setServiceVersion(VERSION);
    encoder.setEnvironment(ENVIRONMENT);
    logs = LogCapture.attach(encoder);

    threads = new QueuedThreadPool(maxThreads);
    threads.setName("test-app");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // Large enough that Plimsoll, not Jetty, decides what to do with 8-10 KB header values.
    http.setRequestHeaderSize(64 * 1024);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Hello()), "/hello");
    context.addServlet(new ServletHolder(new Hello()), "/traced");
    context.addServlet(new ServletHolder(new Hello()), "/orders/*");
    context.addServlet(new ServletHolder(new Boom()), "/boom");
    context.addServlet(new ServletHolder(new Unavailable()), "/unavailable");
    context.addServlet(new ServletHolder(new Multiline()), "/multiline");
    context.addServlet(new ServletHolder(new Slow()), "/slow");
    context.addServlet(new ServletHolder(new RawRoute()), "/raw/*");
    context.addServlet(new ServletHolder(new Hello()), "/explode-route");
    ServletHolder async = new ServletHolder(new Async());
    async.setAsyncSupported(true);
    context.addServlet(async, "/async");
    RouteResolver routes =
        request -> {
          if (request.getRequestURI().equals("/explode-route")) {
            throw new IllegalStateException("route resolver failed on purpose");
          }
          return RouteResolver.servletMapping().resolve(request);
        };
    context.addEventListener(
        new ServletContextListener() {
          @Override
          public void contextInitialized(ServletContextEvent event) {
            PlimsollServlets.install(event.getServletContext(), plimsoll, routes);
          }
        });
    context.addServlet(new ServletHolder(new ErrorPage()), "/error-page");
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(IllegalArgumentException.class, "/error-page");
    context.setErrorHandler(errors);
    context.addServlet(new ServletHolder(new BadArgument()), "/bad-argument");
    context.addServlet(new ServletHolder(new Stream()), "/stream");
    // Records what is left in the MDC once the whole request, error handling included, is done.
    server.setHandler(
        new Handler.Wrapper(context) {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            try {
              return super.handle(request, response, callback);
            } finally {
              Map<String, String> left = MDC.getCopyOfContextMap();
              if (left != null && !left.isEmpty()) {
                leftoverMdc.add(request.getHttpURI().getPath() + " " + left);
              }
            }
          }
        });
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  Scrape scrape() throws IOException, InterruptedException {
    return Scrape.parse(get("/metrics").body());
  }

  Scrape scrapeOpenMetrics() throws IOException, InterruptedException {
    return Scrape.parse(
        get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0").body());
  }

  @Override
  public void close() throws Exception {
    server.stop();
    logs.close();
    plimsoll.close();
    otlp.close();
  }

  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      APP_LOG.info("handling {}", req.getRequestURI());
      resp.setContentType("application/json");
      resp.getWriter().write("{\"hello\":\"world\"}");
    }
  }

  static final class ErrorPage extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/json");
      resp.getWriter().write("{\"error\":\"handled by the error page\"}");
    }
  }

  /** Streams far more than any client reads, so a client that hangs up makes writes fail. */
  static final class Stream extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      byte[] chunk = new byte[64 * 1024];
      var out = resp.getOutputStream();
      for (int i = 0; i < 4096; i++) {
        out.write(chunk);
        out.flush();
      }
    }
  }

  static final class BadArgument extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalArgumentException("bad argument on purpose");
    }
  }

  static final class Boom extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("application failed on purpose");
    }
  }

  static final class Unavailable extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.sendError(503, "down for the test");
    }
  }

  /** Answers after {@link #SLOW_MILLIS}, longer than a test's SLO threshold. */
  static final class Slow extends HttpServlet {
    static final long SLOW_MILLIS = 50;
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try {
        Thread.sleep(SLOW_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      resp.setStatus(204);
    }
  }

  static final class Multiline extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      APP_LOG.warn("first line\nsecond line\r\n\"quoted\" and \u0007 bell");
      resp.setStatus(204);
    }
  }

  /** An application that (wrongly) reports raw paths as routes, to exercise the route cap. */
  static final class RawRoute extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      req.setAttribute(RouteResolver.ROUTE_ATTRIBUTE, req.getRequestURI());
      resp.setStatus(200);
    }
  }

  static final class Async extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync();
      CompletableFuture.runAsync(
          () -> {
            try {
              APP_LOG.info("async work done");
              HttpServletResponse response = (HttpServletResponse) async.getResponse();
              response.setStatus(202);
              response.getWriter().write("{\"accepted\":true}");
            } catch (IOException e) {
              throw new IllegalStateException(e);
            } finally {
              async.complete();
            }
          },
          CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
    }
  }
}
