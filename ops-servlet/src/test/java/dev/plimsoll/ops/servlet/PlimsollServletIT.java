package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.OtlpReceiver.ReceivedSpan;
import dev.plimsoll.ops.testsupport.Scrape;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlimsollServletIT {

  private static final String COUNT = "http_server_request_duration_seconds_count";
  private static final String BUCKET = "http_server_request_duration_seconds_bucket";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    app = new TestApp(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  private static String hex(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return text.toString();
  }

  /** Waits for the first request to {@code route} to be recorded; returns its count sample. */
  private static Scrape.Sample awaitCount(String route) {
    return Await.until(
        "an observation of " + route,
        WAIT,
        () -> {
          try {
            return app.scrape().samples(COUNT, Map.of("http_route", route)).stream()
                .findFirst()
                .orElse(null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Waits for the access-log line of a request, which async requests write on completion. */
  private static Map<String, Object> awaitAccessLine(String requestId) {
    return Await.until(
        "the access log line of " + requestId,
        WAIT,
        () ->
            logsOf(requestId).stream()
                .filter(l -> "dev.plimsoll.ops.access".equals(l.get("logger")))
                .findFirst()
                .orElse(null));
  }

  /**
   * Sends a marker request on the client's connection and waits for its access line: the filter's
   * {@code finally} (access line, MDC cleared) of every request sent before it has then run, so a
   * check that something did not happen is not made before it could have.
   */
  private static void awaitEarlierRequestsFinished() throws Exception {
    String marker = "req-marker-" + hex(12);
    app.get("/hello", "X-Request-ID", marker);
    awaitAccessLine(marker);
  }

  private static List<Map<String, Object>> logsOf(String requestId) {
    return app.logs.json().stream().filter(l -> requestId.equals(l.get("request_id"))).toList();
  }

  @Test
  void theSameTraceIdIsInTheSpanTheLogLinesAndAnExemplar() throws Exception {
    String traceId = hex(32);
    String parentId = hex(16);
    HttpResponse<String> response =
        app.get(
            "/traced?secret=hidden",
            "traceparent",
            "00-" + traceId + "-" + parentId + "-01",
            "X-Request-ID",
            "req-correlated-1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Request-ID")).hasValue("req-correlated-1");

    ReceivedSpan span =
        Await.until(
            "the SERVER span of /traced",
            WAIT,
            () ->
                app.otlp.spans().stream()
                    .filter(s -> s.traceId().equals(traceId))
                    .findFirst()
                    .orElse(null));
    assertThat(span.parentSpanId()).isEqualTo(parentId);
    assertThat(span.span().getName()).isEqualTo("GET /traced");
    assertThat(span.span().getKind().name()).isEqualTo("SPAN_KIND_SERVER");
    assertThat(span.attribute("http.route")).isEqualTo("/traced");
    assertThat(span.attribute("http.request.method")).isEqualTo("GET");
    assertThat(span.attribute("http.response.status_code")).isEqualTo("200");
    assertThat(span.attribute("url.path")).isEqualTo("/traced");
    assertThat(span.resourceAttribute("service.name")).isEqualTo(TestApp.SERVICE);
    assertThat(span.resourceAttribute("service.version")).isEqualTo(TestApp.VERSION);

    List<Map<String, Object>> lines = logsOf("req-correlated-1");
    assertThat(lines).extracting(l -> l.get("logger")).contains("app", "dev.plimsoll.ops.access");
    assertThat(lines)
        .allSatisfy(
            l -> {
              assertThat(l.get("trace_id")).isEqualTo(traceId);
              assertThat(l.get("span_id")).isEqualTo(span.spanId());
              assertThat(l.get("service.name")).isEqualTo(TestApp.SERVICE);
            });
    Map<String, Object> access =
        lines.stream()
            .filter(l -> "dev.plimsoll.ops.access".equals(l.get("logger")))
            .findFirst()
            .orElseThrow();
    assertThat(access)
        .containsEntry("http.request.method", "GET")
        .containsEntry("http.route", "/traced")
        .containsEntry("url.path", "/traced")
        .containsEntry("http.response.status_code", 200)
        .containsEntry("client.address", "127.0.0.1")
        .containsKey("duration_ms");
    assertThat(access.toString()).doesNotContain("secret=hidden");

    Scrape scrape = app.scrapeOpenMetrics();
    List<Scrape.Sample> buckets = scrape.samples(BUCKET, Map.of("http_route", "/traced"));
    assertThat(buckets).isNotEmpty();
    assertThat(buckets)
        .filteredOn(b -> b.exemplar() != null)
        .extracting(b -> b.exemplar().labels().get("trace_id"))
        .contains(traceId);
  }

  @Test
  void anExceptionIsRecordedOnceAs500WithItsClass() throws Exception {
    HttpResponse<String> response = app.get("/boom");
    assertThat(response.statusCode()).isEqualTo(500);
    String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();

    Scrape scrape = app.scrape();
    assertThat(scrape.samples(COUNT, Map.of("http_route", "/boom")))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.label("http_response_status_code")).isEqualTo("500");
              assertThat(s.label("error_type")).isEqualTo("java.lang.IllegalStateException");
              assertThat(s.value()).isEqualTo(1.0);
            });

    // The container logs the exception after the filter returned; the line still carries the IDs.
    Map<String, Object> containerLine =
        Await.until(
            "the container's log line of the failure",
            WAIT,
            () ->
                logsOf(requestId).stream()
                    .filter(
                        l ->
                            String.valueOf(l.get("stack_trace"))
                                .contains("application failed on purpose"))
                    .findFirst()
                    .orElse(null));
    assertThat(containerLine.get("trace_id"))
        .as("the container's line carries the failed request's trace")
        .isNotNull()
        .isEqualTo(awaitAccessLine(requestId).get("trace_id"));
    // Deliberate: with no error dispatch through the filter, the IDs stay on the thread until its
    // next request, so the container's own log line above could carry them.
    assertThat(app.leftoverMdc).anyMatch(l -> l.startsWith("/boom") && l.contains(requestId));
  }

  @Test
  void anErrorPageDispatchIsNotRecordedTwice() throws Exception {
    HttpResponse<String> response = app.get("/bad-argument");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("handled by the error page");
    Scrape scrape = app.scrape();
    assertThat(scrape.samples(COUNT, Map.of("http_route", "/bad-argument")))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.value()).isEqualTo(1.0);
              assertThat(s.label("error_type")).isEqualTo("java.lang.IllegalArgumentException");
            });
    assertThat(scrape.samples(COUNT, Map.of("http_route", "/error-page"))).isEmpty();
    // The error dispatch went through the filter, which then cleared the IDs.
    awaitEarlierRequestsFinished();
    assertThat(app.leftoverMdc).noneMatch(l -> l.startsWith("/bad-argument"));
  }

  @Test
  void nothingIsLeftInTheMdcAfterAnOrdinaryOrAsyncRequest() throws Exception {
    app.get("/hello");
    app.get("/async");
    app.get("/nowhere-at-all");
    app.get("/metrics");
    awaitEarlierRequestsFinished();
    assertThat(app.leftoverMdc)
        .noneMatch(
            l ->
                l.startsWith("/hello")
                    || l.startsWith("/async")
                    || l.startsWith("/nowhere-at-all")
                    || l.startsWith("/metrics"));
  }

  @Test
  void aClientThatHangsUpIsRecordedOnceWithTheWriteFailure() throws Exception {
    URI uri = URI.create(app.base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket
          .getOutputStream()
          .write(
              "GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getInputStream().readNBytes(1024);
      socket.setSoLinger(true, 0); // reset, as a client that goes away does
    }
    Scrape.Sample count = awaitCount("/stream");
    assertThat(count.value()).isEqualTo(1.0);
    assertThat(count.label("http_response_status_code")).isEqualTo("200");
    // Jetty reports the reset connection to the write as its EofException.
    assertThat(count.label("error_type")).isEqualTo("org.eclipse.jetty.io.EofException");
  }

  @Test
  void sendErrorRecordsTheStatusAsErrorType() throws Exception {
    assertThat(app.get("/unavailable").statusCode()).isEqualTo(503);
    assertThat(app.scrape().samples(COUNT, Map.of("http_route", "/unavailable")))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.label("http_response_status_code")).isEqualTo("503");
              assertThat(s.label("error_type")).isEqualTo("503");
            });
  }

  @Test
  void anAsyncRequestIsRecordedOnceWithItsFinalStatus() throws Exception {
    HttpResponse<String> response = app.get("/async", "X-Request-ID", "req-async-1");
    assertThat(response.statusCode()).isEqualTo(202);
    Scrape.Sample count = awaitCount("/async");
    assertThat(count.label("http_response_status_code")).isEqualTo("202");
    assertThat(count.value()).isEqualTo(1.0);
    Map<String, Object> access = awaitAccessLine("req-async-1");
    assertThat(access).containsEntry("http.response.status_code", 202).containsKey("trace_id");
  }

  @Test
  void tenThousandUnknownPathsAddOneSeries() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results =
          java.util.stream.IntStream.range(0, 10_000)
              .mapToObj(
                  i -> pool.submit(() -> app.get("/nowhere/" + i + "/" + hex(8)).statusCode()))
              .toList();
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(404);
      }
    } finally {
      pool.shutdownNow();
    }
    Scrape scrape = app.scrape();
    assertThat(
            scrape.samples(COUNT).stream()
                .filter(s -> s.label("http_route").startsWith("/nowhere")))
        .isEmpty();
    assertThat(
            scrape.samples(
                COUNT, Map.of("http_route", "UNMATCHED", "http_response_status_code", "404")))
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isGreaterThanOrEqualTo(10_000));
  }

  @Test
  void malformedTraceparentStartsANewTrace() throws Exception {
    String goodTrace = hex(32);
    List<String> malformed =
        List.of(
            "01-" + goodTrace + "-" + hex(16) + "-01-extra!",
            "00-" + goodTrace.toUpperCase() + "-" + hex(16) + "-01",
            "00-" + goodTrace + "-" + hex(15) + "-01",
            "00-00000000000000000000000000000000-" + hex(16) + "-01",
            "00-" + goodTrace + "-0000000000000000-01",
            "ff-" + goodTrace + "-" + hex(16) + "-01",
            "00-" + goodTrace + "-" + hex(16) + "-01-" + "x".repeat(8192),
            "garbage");
    for (String traceparent : malformed) {
      String requestId = "req-tp-" + hex(8);
      HttpResponse<String> response =
          app.get(
              "/hello",
              "traceparent",
              traceparent,
              "tracestate",
              "a=" + "b".repeat(8192),
              "X-Request-ID",
              requestId);
      assertThat(response.statusCode()).as(traceparent).isEqualTo(200);
      Map<String, Object> line = logsOf(requestId).get(0);
      String traceId = (String) line.get("trace_id");
      assertThat(traceId).as(traceparent).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
      if (!traceparent.startsWith("01-")) {
        // A future version with extra fields may legitimately be accepted; the others must not.
        assertThat(traceId).as(traceparent).isNotEqualTo(goodTrace);
      }
    }
  }

  @Test
  void unsafeRequestIdsAreReplacedNeverEchoedOrLogged() throws Exception {
    List<String> unsafe =
        List.of("x".repeat(10 * 1024), "with space", "quote\"inside", "unicod\u00e9-\u65e5\u672c");
    for (String value : unsafe) {
      String[] response = rawGet("/hello", "X-Request-ID: " + value);
      assertThat(response[0]).as(value).startsWith("HTTP/1.1 200");
      String echoed =
          response[0]
              .lines()
              .filter(h -> h.toLowerCase().startsWith("x-request-id:"))
              .map(h -> h.substring(h.indexOf(':') + 1).trim())
              .findFirst()
              .orElseThrow();
      assertThat(echoed).as(value).matches("[0-9a-f]{32}");
      // Its own access line, under the replacement ID, is logged by then.
      awaitAccessLine(echoed);
      assertThat(app.logs.lines()).noneMatch(l -> l.contains(value));
    }
  }

  @Test
  void aLogMessageWithNewlinesStaysOneJsonLine() throws Exception {
    HttpResponse<String> response = app.get("/multiline", "X-Request-ID", "req-multiline");
    assertThat(response.statusCode()).isEqualTo(204);
    // json() fails if any line is not exactly one JSON object.
    Map<String, Object> line =
        logsOf("req-multiline").stream()
            .filter(l -> "app".equals(l.get("logger")))
            .findFirst()
            .orElseThrow();
    assertThat(line.get("message"))
        .isEqualTo("first line\nsecond line\r\n\"quoted\" and \u0007 bell");
    assertThat(line.get("level")).isEqualTo("WARN");
  }

  @Test
  void aFailureInsideInstrumentationNeverFailsTheRequest() throws Exception {
    HttpResponse<String> response = app.get("/explode-route");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("hello");
    Scrape scrape = app.scrape();
    assertThat(scrape.sum("ops_instrumentation_errors_total", Map.of("stage", "route")))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            scrape.samples(
                COUNT, Map.of("http_route", "UNMATCHED", "http_response_status_code", "200")))
        .isNotEmpty();
  }

  @Test
  void theMetricsEndpointNegotiatesTheFormat() throws Exception {
    HttpResponse<String> text = app.get("/metrics");
    assertThat(text.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain")
        .contains("version=0.0.4");
    HttpResponse<String> open =
        app.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
    assertThat(open.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(open.body().strip()).endsWith("# EOF");
  }

  @Test
  void probesAndScrapesAreNeitherAccessLoggedNorMeasured() throws Exception {
    app.get("/metrics", "X-Request-ID", "req-scrape");
    app.get("/health/ready", "X-Request-ID", "req-probe");
    awaitEarlierRequestsFinished();
    assertThat(logsOf("req-scrape")).isEmpty();
    assertThat(logsOf("req-probe")).isEmpty();
    // ops.metrics.exclude-paths: not the service's users, so not in its SLIs (ProbeTrafficIT).
    assertThat(app.scrape().samples(COUNT, Map.of("http_route", "/metrics"))).isEmpty();
    assertThat(app.scrape().samples(COUNT, Map.of("http_route", "/health/*"))).isEmpty();
  }

  @Test
  void aForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    app.get("/hello", "X-Forwarded-For", "203.0.113.9", "X-Request-ID", "req-spoof");
    Map<String, Object> access = awaitAccessLine("req-spoof");
    assertThat(access).containsEntry("client.address", "127.0.0.1");
  }

  @Test
  void unknownMethodsAreRecordedAsOther() throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(URI.create(app.base + "/hello"))
            .method("BREW", java.net.http.HttpRequest.BodyPublishers.noBody())
            .build();
    app.client.send(request, HttpResponse.BodyHandlers.discarding());
    Scrape scrape = app.scrape();
    assertThat(scrape.samples(COUNT, Map.of("http_route", "/hello")))
        .extracting(s -> s.label("http_request_method"))
        .doesNotContain("BREW")
        .contains("_OTHER");
  }

  /** Sends a request over a raw socket, so headers a client library would refuse can be sent. */
  private static String[] rawGet(String path, String header) throws Exception {
    URI uri = URI.create(app.base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\n"
                  + header
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      return new String[] {
        text.substring(0, split).replace("\r\n", "\n"), text.substring(split + 4)
      };
    }
  }
}
