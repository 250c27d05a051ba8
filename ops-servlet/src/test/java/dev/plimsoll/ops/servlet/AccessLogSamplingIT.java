package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.logging.LogFields;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access-log sampling on a real Jetty: at a rate of 1 %, server errors and requests slower than the
 * SLO threshold are still logged, ordinary requests follow their trace ID, and every decision is
 * counted in {@code ops_access_log_requests_total}.
 */
class AccessLogSamplingIT {

  private static final String REQUESTS = "ops_access_log_requests_total";
  private static final Duration WAIT = Duration.ofSeconds(15);
  // At 1 %, the traceidratio rule keeps a trace ID whose last 16 hex digits are small and leaves
  // out one whose last 16 are large.
  private static final String KEPT_TRACE = "4bf92f3577b34da60000000000000001";
  private static final String LEFT_OUT_TRACE = "4bf92f3577b34da67fffffffffffff00";

  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    app =
        new TestApp(
            Map.of("ops.access-log.sample-rate", "0.01", "ops.metrics.slo-latencies", "10ms"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  private static String traceparent(String traceId) {
    return "00-" + traceId + "-00f067aa0ba902b7-01";
  }

  private static double count(String decision) throws Exception {
    return app.scrape().samples(REQUESTS, Map.of("decision", decision)).stream()
        .mapToDouble(Scrape.Sample::value)
        .sum();
  }

  private static void awaitCounts(double logged, double sampledOut) {
    Await.until(
        "logged " + logged + " and sampled out " + sampledOut,
        WAIT,
        () -> {
          try {
            return count("logged") == logged && count("sampled_out") == sampledOut ? true : null;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static List<Map<String, Object>> accessLinesOf(String requestId) {
    return app.logs.json().stream()
        .filter(l -> LogFields.ACCESS_LOGGER.equals(l.get("logger")))
        .filter(l -> requestId.equals(l.get("request_id")))
        .toList();
  }

  @Test
  void errorsAndSlowRequestsAreLoggedAndOrdinaryOnesFollowTheirTraceId() throws Exception {
    double logged = count("logged");
    double sampledOut = count("sampled_out");
    String leftOut = traceparent(LEFT_OUT_TRACE);

    assertThat(app.get("/boom", "X-Request-ID", "req-boom", "traceparent", leftOut).statusCode())
        .isEqualTo(500);
    assertThat(
            app.get("/unavailable", "X-Request-ID", "req-503", "traceparent", leftOut).statusCode())
        .isEqualTo(503);
    assertThat(app.get("/slow", "X-Request-ID", "req-slow", "traceparent", leftOut).statusCode())
        .isEqualTo(204);
    assertThat(app.get("/hello", "X-Request-ID", "req-out", "traceparent", leftOut).statusCode())
        .isEqualTo(200);
    assertThat(
            app.get("/hello", "X-Request-ID", "req-kept", "traceparent", traceparent(KEPT_TRACE))
                .statusCode())
        .isEqualTo(200);
    // A client error is not a server error: sampled like any ordinary request.
    assertThat(
            app.get("/nothing-here", "X-Request-ID", "req-404-out", "traceparent", leftOut)
                .statusCode())
        .isEqualTo(404);

    // Every decision is made by then: nothing more comes for these requests.
    awaitCounts(logged + 4, sampledOut + 2);
    assertThat(accessLinesOf("req-boom"))
        .singleElement()
        .satisfies(l -> assertThat(l).containsEntry("http.response.status_code", 500));
    assertThat(accessLinesOf("req-503"))
        .singleElement()
        .satisfies(l -> assertThat(l).containsEntry("http.response.status_code", 503));
    assertThat(accessLinesOf("req-slow"))
        .singleElement()
        .satisfies(
            l ->
                assertThat(((Number) l.get("duration_ms")).doubleValue())
                    .isGreaterThanOrEqualTo(TestApp.Slow.SLOW_MILLIS));
    assertThat(accessLinesOf("req-kept"))
        .singleElement()
        .satisfies(l -> assertThat(l).containsEntry("trace_id", KEPT_TRACE));
    assertThat(accessLinesOf("req-out")).isEmpty();
    assertThat(accessLinesOf("req-404-out")).isEmpty();
  }

  @Test
  void probesAndScrapesAreNotCounted() throws Exception {
    double logged = count("logged");
    double sampledOut = count("sampled_out");
    app.get("/health/live");
    app.get("/metrics");
    assertThat(count("logged")).isEqualTo(logged);
    assertThat(count("sampled_out")).isEqualTo(sampledOut);
  }
}
