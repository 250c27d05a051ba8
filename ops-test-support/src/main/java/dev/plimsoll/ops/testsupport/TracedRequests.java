package dev.plimsoll.ops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.OtlpReceiver.ReceivedSpan;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Two requests to a server under test, one without {@code traceparent} and one continuing a
 * caller's trace, and the OpenMetrics scrape after them; with the checks that each request has one
 * SERVER span, which its access-log event and its exemplar point at.
 */
public final class TracedRequests {

  /** The caller's trace ID, sent in the second request's {@code traceparent}. */
  public static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  /** The caller's span ID, the parent the second request's SERVER span must have. */
  public static final String CALLER_SPAN = "00f067aa0ba902b7";

  private static final String ACCESS_LOGGER = "dev.plimsoll.ops.access";

  private final HttpResponse<String> fresh;
  private final HttpResponse<String> continued;
  private final Scrape scrape;

  private TracedRequests(
      HttpResponse<String> fresh, HttpResponse<String> continued, Scrape scrape) {
    this.fresh = fresh;
    this.continued = continued;
    this.scrape = scrape;
  }

  /**
   * The {@code OTEL_*} variables of a child JVM that exports spans alone, quickly, to {@code otlp},
   * with a timeout that a loaded machine cannot run out of.
   */
  public static Map<String, String> otelEnvironment(OtlpReceiver otlp, String service) {
    return Map.of(
        "OTEL_SERVICE_NAME", service,
        "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_METRICS_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none",
        "OTEL_BSP_SCHEDULE_DELAY", "100",
        "OTEL_EXPORTER_OTLP_TIMEOUT", "60000",
        "OTEL_BSP_EXPORT_TIMEOUT", "60000");
  }

  /**
   * {@code GET}s {@code base + freshPath}, then {@code base + continuedPath} with the caller's
   * {@code traceparent}, then {@code /metrics} as OpenMetrics.
   *
   * @throws AssertionError if a request does not answer 200
   */
  public static TracedRequests send(String base, String freshPath, String continuedPath) {
    HttpResponse<String> fresh = TestHttp.get(base + freshPath);
    HttpResponse<String> continued =
        TestHttp.get(
            base + continuedPath, "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
    assertThat(fresh.statusCode()).as(freshPath).isEqualTo(200);
    assertThat(continued.statusCode()).as(continuedPath).isEqualTo(200);
    Scrape scrape =
        Scrape.parse(
            TestHttp.get(base + "/metrics", "Accept", "application/openmetrics-text; version=1.0.0")
                .body());
    return new TracedRequests(fresh, continued, scrape);
  }

  /** The request without {@code traceparent}. */
  public HttpResponse<String> fresh() {
    return fresh;
  }

  /** The request that continues the caller's trace. */
  public HttpResponse<String> continued() {
    return continued;
  }

  /** The scrape taken after both requests. */
  public Scrape scrape() {
    return scrape;
  }

  /** The access-log event of {@code response} in a child's standard output, once it is there. */
  public static Map<String, Object> accessLogEvent(
      JavaProcess child, HttpResponse<String> response) {
    return accessLogEvent(child::stdoutJson, response);
  }

  /** The access-log event of {@code response} among {@code events}, once it is there. */
  public static Map<String, Object> accessLogEvent(
      Supplier<List<Map<String, Object>>> events, HttpResponse<String> response) {
    String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
    return Await.until(
        "the access-log event of request " + requestId,
        Duration.ofSeconds(10),
        () ->
            events.get().stream()
                .filter(l -> ACCESS_LOGGER.equals(l.get("logger")))
                .filter(l -> requestId.equals(l.get("request_id")))
                .findFirst()
                .orElse(null));
  }

  /**
   * The one SERVER span of each request, fresh then continued: the first starts a trace, the second
   * continues the caller's.
   */
  public static List<ReceivedSpan> serverSpans(
      OtlpReceiver otlp, String freshPath, String continuedPath) {
    // The receiver may journal an export a moment after the exporter had its answer.
    Await.until(
        "the spans of " + freshPath + " and " + continuedPath,
        Duration.ofSeconds(30),
        () ->
            List.of(freshPath, continuedPath).stream()
                .allMatch(
                    path ->
                        otlp.spans().stream().anyMatch(s -> path.equals(s.attribute("url.path")))));
    ReceivedSpan freshSpan = otlp.onlyServerSpan(freshPath);
    ReceivedSpan continuedSpan = otlp.onlyServerSpan(continuedPath);
    assertThat(freshSpan.parentSpanId()).as("parent of " + freshPath).isEmpty();
    assertThat(freshSpan.traceId()).isNotEqualTo(CALLER_TRACE);
    assertThat(continuedSpan.traceId()).as("trace of " + continuedPath).isEqualTo(CALLER_TRACE);
    assertThat(continuedSpan.parentSpanId())
        .as("parent of " + continuedPath)
        .isEqualTo(CALLER_SPAN);
    return List.of(freshSpan, continuedSpan);
  }

  /** Checks that an access-log event carries the IDs of {@code span}. */
  public static void assertPointsAt(Map<String, Object> accessLogEvent, ReceivedSpan span) {
    assertThat(accessLogEvent)
        .containsEntry("trace_id", span.traceId())
        .containsEntry("span_id", span.spanId());
  }

  /**
   * Checks that the duration buckets of {@code route} carry at least one exemplar, and that each is
   * the trace and span ID of one of {@code spans}.
   */
  public void assertExemplarsAmong(String route, ReceivedSpan... spans) {
    List<Map<String, String>> allowed =
        Arrays.stream(spans)
            .map(s -> Map.of("trace_id", s.traceId(), "span_id", s.spanId()))
            .toList();
    assertThat(
            scrape.samples(
                "http_server_request_duration_seconds_bucket", Map.of("http_route", route)))
        .filteredOn(b -> b.exemplar() != null)
        .extracting(b -> b.exemplar().labels())
        .as("exemplars of " + route)
        .isNotEmpty()
        .isSubsetOf(allowed);
  }
}
