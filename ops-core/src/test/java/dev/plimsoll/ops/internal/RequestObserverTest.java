package dev.plimsoll.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.http.FakeExchange;
import dev.plimsoll.ops.http.HttpServerObserver;
import dev.plimsoll.ops.http.ObservedRequest;
import dev.plimsoll.ops.logging.LogFields;
import dev.plimsoll.ops.logging.PlimsollJsonEncoder;
import dev.plimsoll.ops.shutdown.internal.InFlightRequests;
import dev.plimsoll.ops.testsupport.LogCapture;
import dev.plimsoll.ops.testsupport.Scrape;
import dev.plimsoll.ops.tracing.CollectingSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The request-observation seam, driven directly as a server adapter drives it. */
class RequestObserverTest {

  private static final String DURATION_COUNT = "http_server_request_duration_seconds_count";

  private final CollectingSpanExporter exported = new CollectingSpanExporter();
  private final List<SpanData> spans = exported.spans();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exported))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private Plimsoll plimsoll = plimsoll(Map.of());
  // After Plimsoll, which reconfigures logback and so detaches appenders added before it.
  private LogCapture logs = LogCapture.attach(new PlimsollJsonEncoder());

  @AfterEach
  void tearDown() {
    MDC.clear();
    logs.close();
    plimsoll.close();
    sdk.close();
  }

  private void restart(Map<String, String> more) {
    logs.close();
    plimsoll.close();
    plimsoll = plimsoll(more);
    logs = LogCapture.attach(new PlimsollJsonEncoder());
  }

  private Plimsoll plimsoll(Map<String, String> more) {
    Map<String, String> values = new HashMap<>();
    values.put("ops.shutdown.hook", "false");
    values.put("ops.shutdown.drain-delay", "0s");
    values.put("ops.health.disk.min-free-mb", "0");
    values.putAll(more);
    return Plimsoll.builder()
        .settings(OpsSettings.from(ConfigSource.of(values)))
        .openTelemetry(sdk)
        .build();
  }

  private HttpServerObserver observer() {
    return plimsoll.httpServer();
  }

  /** Serves {@code exchange} as an adapter would, the application throwing {@code failure}. */
  private ObservedRequest serve(FakeExchange exchange, RuntimeException failure) {
    ObservedRequest request = Objects.requireNonNull(observer().begin(exchange));
    Scope scope = request.enter();
    request.end(failure);
    request.exit(scope, failure);
    return request;
  }

  private ObservedRequest serve(FakeExchange exchange) {
    ObservedRequest request = Objects.requireNonNull(observer().begin(exchange));
    Scope scope = request.enter();
    request.end(null);
    request.exit(scope, null);
    return request;
  }

  private Scrape scrape() {
    return Scrape.parse(plimsoll.metrics().scrape(null));
  }

  private List<Map<String, Object>> accessLines() {
    return logs.json().stream()
        .filter(line -> LogFields.ACCESS_LOGGER.equals(line.get("logger")))
        .toList();
  }

  @Test
  void aRequestIsMeasuredTracedAndLoggedOnceUnderItsOwnId() {
    FakeExchange exchange =
        new FakeExchange("GET", "/orders/7")
            .header("X-Request-ID", "req-seam-1")
            .header("User-Agent", "curl/8")
            .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    exchange.route = "/orders/{id}";
    ObservedRequest request = Objects.requireNonNull(observer().begin(exchange));
    assertThat(request.requestId()).isEqualTo("req-seam-1");
    assertThat(exchange.responseHeaders).containsEntry("X-Request-ID", "req-seam-1");
    assertThat(exchange.responseHeaders).doesNotContainKey("Connection");
    assertThat(InFlightRequests.of(plimsoll.shutdown()).active()).isEqualTo(1);
    Scope scope = request.enter();
    assertThat(MDC.get(LogFields.REQUEST_ID)).isEqualTo("req-seam-1");
    assertThat(MDC.get("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    request.end(null);
    request.end(null); // a second end, as an async callback racing the dispatch: ignored
    request.endAsync(null);
    request.exit(scope, null);

    assertThat(MDC.get(LogFields.REQUEST_ID)).isNull();
    assertThat(InFlightRequests.of(plimsoll.shutdown()).active()).isZero();
    assertThat(InFlightRequests.of(plimsoll.shutdown()).finishedCount()).isEqualTo(1);
    assertThat(scrape().samples(DURATION_COUNT))
        .singleElement()
        .satisfies(
            sample -> {
              assertThat(sample.value()).isEqualTo(1.0);
              assertThat(sample.labels())
                  .containsEntry("http_request_method", "GET")
                  .containsEntry("http_route", "/orders/{id}")
                  .containsEntry("http_response_status_code", "200")
                  .containsEntry("error_type", "");
            });
    SpanData span = spans.get(0);
    assertThat(spans).hasSize(1);
    assertThat(span.getName()).isEqualTo("GET /orders/{id}");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(span.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("http.request.method"), "GET")
        .containsEntry(AttributeKey.stringKey("http.route"), "/orders/{id}")
        .containsEntry(AttributeKey.longKey("http.response.status_code"), 200L)
        .containsEntry(AttributeKey.stringKey("url.path"), "/orders/7")
        .containsEntry(AttributeKey.stringKey("url.scheme"), "http")
        .containsEntry(AttributeKey.stringKey("server.address"), "localhost")
        .containsEntry(AttributeKey.longKey("server.port"), 8080L)
        .containsEntry(AttributeKey.stringKey("client.address"), "127.0.0.1")
        .containsEntry(AttributeKey.stringKey("user_agent.original"), "curl/8");
    assertThat(accessLines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .containsEntry("request_id", "req-seam-1")
                    .containsEntry("trace_id", span.getTraceId())
                    .containsEntry("span_id", span.getSpanId())
                    .containsEntry("http.route", "/orders/{id}")
                    .containsEntry("url.path", "/orders/7")
                    .containsEntry("http.response.status_code", 200)
                    .containsEntry("client.address", "127.0.0.1")
                    .containsEntry("user_agent.original", "curl/8"));
  }

  @Test
  void anUnsafeRequestIdIsReplaced() {
    ObservedRequest request =
        serve(new FakeExchange("GET", "/a").header("X-Request-ID", "has space"));
    assertThat(request.requestId()).isNotEqualTo("has space").hasSize(32);
  }

  @Test
  void excludedPathsAreNeitherMeasuredNorLoggedButStillTraced() {
    restart(
        Map.of(
            "ops.metrics.exclude-paths", "/health,/metrics",
            "ops.access-log.exclude-paths", "/health,/internal"));
    serve(new FakeExchange("GET", "/health/ready"));
    serve(new FakeExchange("GET", "/metrics"));
    serve(new FakeExchange("GET", "/internal/jobs"));
    serve(new FakeExchange("GET", "/orders"));

    assertThat(scrape().samples(DURATION_COUNT))
        .extracting(sample -> sample.label("http_route"))
        .containsExactlyInAnyOrder("/internal/jobs", "/orders");
    assertThat(accessLines())
        .extracting(line -> line.get("url.path"))
        .containsExactlyInAnyOrder("/metrics", "/orders");
    assertThat(spans).hasSize(4);
    assertThat(scrape().sum("http_server_active_requests", Map.of())).isZero();
  }

  @Test
  void theAccessLogSwitchTurnsOffTheLinesOnly() {
    restart(Map.of("ops.access-log.enabled", "false"));
    serve(new FakeExchange("GET", "/orders"));
    assertThat(accessLines()).isEmpty();
    assertThat(scrape().samples(DURATION_COUNT)).hasSize(1);
  }

  private static final String LEFT_OUT_AT_1_PERCENT =
      "00-4bf92f3577b34da67fffffffffffff00-00f067aa0ba902b7-01";
  private static final String KEPT_AT_1_PERCENT =
      "00-4bf92f3577b34da60000000000000001-00f067aa0ba902b7-01";

  private double decisions(String decision) {
    return scrape().sum("ops_access_log_requests_total", Map.of("decision", decision));
  }

  @Test
  void withSamplingServerErrorsFailuresAndSlowRequestsAreLoggedAndTheRestByTraceId()
      throws Exception {
    // A threshold no ordinary request here comes near, even on a busy machine: at 1 ms, any request
    // delayed by a pause is slow and logged (the likely cause of one failure on a loaded machine).
    restart(Map.of("ops.access-log.sample-rate", "0.01", "ops.metrics.slo-latencies", "200ms,1s"));
    FakeExchange unavailable =
        new FakeExchange("GET", "/unavailable").header("traceparent", LEFT_OUT_AT_1_PERCENT);
    unavailable.status = 503;
    serve(unavailable);
    serve(
        new FakeExchange("GET", "/boom").header("traceparent", LEFT_OUT_AT_1_PERCENT),
        new IllegalStateException("on purpose"));
    FakeExchange handled =
        new FakeExchange("GET", "/handled").header("traceparent", LEFT_OUT_AT_1_PERCENT);
    handled.status = 400;
    handled.handled = new IllegalArgumentException("answered by an error page");
    serve(handled);
    FakeExchange missing =
        new FakeExchange("GET", "/missing").header("traceparent", LEFT_OUT_AT_1_PERCENT);
    missing.status = 404;
    serve(missing);
    serve(new FakeExchange("GET", "/ordinary").header("traceparent", LEFT_OUT_AT_1_PERCENT));
    serve(new FakeExchange("GET", "/kept").header("traceparent", KEPT_AT_1_PERCENT));
    // Slower than the smallest SLO threshold (200 ms), well under the other.
    ObservedRequest slow =
        Objects.requireNonNull(
            observer()
                .begin(
                    new FakeExchange("GET", "/slow").header("traceparent", LEFT_OUT_AT_1_PERCENT)));
    Scope scope = slow.enter();
    Thread.sleep(300);
    slow.end(null);
    slow.exit(scope, null);
    serve(new FakeExchange("GET", "/health/live").header("traceparent", LEFT_OUT_AT_1_PERCENT));

    assertThat(accessLines())
        .extracting(line -> line.get("url.path"))
        .containsExactlyInAnyOrder("/unavailable", "/boom", "/handled", "/kept", "/slow");
    assertThat(decisions("logged")).isEqualTo(5);
    assertThat(decisions("sampled_out")).isEqualTo(2);
    // Sampling leaves the metrics and spans whole.
    assertThat(scrape().samples(DURATION_COUNT)).hasSize(7);
    assertThat(spans).hasSize(8);
  }

  @Test
  void byDefaultEveryRequestIsLoggedAndCounted() {
    serve(new FakeExchange("GET", "/orders").header("traceparent", LEFT_OUT_AT_1_PERCENT));
    serve(new FakeExchange("GET", "/orders/7"));
    assertThat(accessLines()).hasSize(2);
    assertThat(decisions("logged")).isEqualTo(2);
    assertThat(decisions("sampled_out")).isZero();
  }

  @Test
  void withTheAccessLogOffNothingIsCountedButTheSeriesExist() {
    restart(Map.of("ops.access-log.enabled", "false"));
    serve(new FakeExchange("GET", "/orders"));
    assertThat(scrape().samples("ops_access_log_requests_total"))
        .extracting(sample -> sample.label("decision"))
        .containsExactlyInAnyOrder("logged", "sampled_out");
    assertThat(decisions("logged")).isZero();
    assertThat(decisions("sampled_out")).isZero();
  }

  @Test
  void aFailureBeforeTheResponseIsCommittedIsA500OfItsType() {
    FakeExchange exchange = new FakeExchange("GET", "/boom");
    serve(exchange, new IllegalStateException("on purpose"));

    assertThat(scrape().samples(DURATION_COUNT))
        .singleElement()
        .satisfies(
            sample ->
                assertThat(sample.labels())
                    .containsEntry("http_response_status_code", "500")
                    .containsEntry("error_type", "java.lang.IllegalStateException"));
    SpanData span = spans.get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(span.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
  }

  @Test
  void aFailureAfterTheResponseIsCommittedKeepsItsStatus() {
    FakeExchange exchange = new FakeExchange("GET", "/stream");
    exchange.committed = true;
    serve(exchange, new IllegalStateException("client went away"));
    assertThat(scrape().samples(DURATION_COUNT).get(0).labels())
        .containsEntry("http_response_status_code", "200")
        .containsEntry("error_type", "java.lang.IllegalStateException");
  }

  @Test
  void theErrorTypeIsTheHandledExceptionOrTheServerErrorStatus() {
    FakeExchange handled = new FakeExchange("GET", "/handled");
    handled.status = 400;
    handled.handled = new IllegalArgumentException("answered by an error page");
    serve(handled);
    FakeExchange unavailable = new FakeExchange("GET", "/unavailable");
    unavailable.status = 503;
    serve(unavailable);
    FakeExchange missing = new FakeExchange("GET", "/missing");
    missing.status = 404;
    serve(missing);

    Scrape scrape = scrape();
    assertThat(scrape.samples(DURATION_COUNT, Map.of("http_route", "/handled")).get(0).labels())
        .containsEntry("error_type", "java.lang.IllegalArgumentException");
    assertThat(scrape.samples(DURATION_COUNT, Map.of("http_route", "/unavailable")).get(0).labels())
        .containsEntry("error_type", "503");
    assertThat(scrape.samples(DURATION_COUNT, Map.of("http_route", "/missing")).get(0).labels())
        .containsEntry("error_type", "");
  }

  @Test
  void aRequestWithoutARouteIsUnmatchedAndAFailingRouteIsCountedToo() {
    FakeExchange none = new FakeExchange("GET", "/none");
    none.route = null;
    serve(none);
    FakeExchange empty = new FakeExchange("GET", "/empty");
    empty.route = "";
    serve(empty);
    FakeExchange failing = new FakeExchange("GET", "/failing");
    failing.routeFailure = new IllegalStateException("resolver failed on purpose");
    serve(failing);

    Scrape scrape = scrape();
    assertThat(scrape.samples(DURATION_COUNT))
        .singleElement()
        .satisfies(
            sample -> {
              assertThat(sample.label("http_route")).isEqualTo("UNMATCHED");
              assertThat(sample.value()).isEqualTo(3.0);
            });
    assertThat(scrape.sum("ops_instrumentation_errors_total", Map.of("stage", "route")))
        .isEqualTo(1.0);
    assertThat(accessLines()).hasSize(3);
  }

  @Test
  void theIdsStayOnTheThreadAfterAFailureSoTheServersErrorLineCarriesThem() {
    ObservedRequest request =
        serve(
            new FakeExchange("GET", "/boom").header("X-Request-ID", "req-seam-failed"),
            new IllegalStateException("on purpose"));
    assertThat(MDC.get(LogFields.REQUEST_ID)).isEqualTo(request.requestId());
    assertThat(MDC.get("trace_id")).isEqualTo(spans.get(0).getTraceId());
  }

  @Test
  void anAsynchronousEndPutsTheIdsForTheAccessLineOnItsThreadAndRemovesThem() throws Exception {
    FakeExchange exchange =
        new FakeExchange("GET", "/async").header("X-Request-ID", "req-seam-async");
    exchange.status = 202;
    ObservedRequest request = Objects.requireNonNull(observer().begin(exchange));
    Scope scope = request.enter();
    request.exit(scope, null);
    assertThat(InFlightRequests.of(plimsoll.shutdown()).active()).isEqualTo(1);

    String left =
        CompletableFuture.supplyAsync(
                () -> {
                  request.endAsync(null);
                  return String.valueOf(MDC.get(LogFields.REQUEST_ID));
                })
            .get();

    assertThat(left).isEqualTo("null");
    assertThat(InFlightRequests.of(plimsoll.shutdown()).active()).isZero();
    assertThat(accessLines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .containsEntry("request_id", "req-seam-async")
                    .containsEntry("http.response.status_code", 202)
                    .containsEntry("span_id", spans.get(0).getSpanId()));
  }

  @Test
  void whileDrainingResponsesAskClientsToCloseTheirConnections() {
    plimsoll.shutdown().shutdown();
    FakeExchange exchange = new FakeExchange("GET", "/orders");
    serve(exchange);
    assertThat(exchange.responseHeaders).containsEntry("Connection", "close");
  }

  @Test
  void aFailingExchangeLeavesTheRequestUnobservedAndIsCounted() {
    FakeExchange broken =
        new FakeExchange("GET", "/orders") {
          @Override
          public String remoteAddress() {
            throw new IllegalStateException("no peer on purpose");
          }
        };
    assertThat(observer().begin(broken)).isNull();
    observer().instrumentationFailed("async", new IllegalStateException("listener"));

    Scrape scrape = scrape();
    assertThat(scrape.sum("ops_instrumentation_errors_total", Map.of("stage", "begin")))
        .isEqualTo(1.0);
    assertThat(scrape.sum("ops_instrumentation_errors_total", Map.of("stage", "async")))
        .isEqualTo(1.0);
    assertThat(InFlightRequests.of(plimsoll.shutdown()).active()).isZero();
    assertThat(scrape.samples(DURATION_COUNT)).isEmpty();
  }
}
