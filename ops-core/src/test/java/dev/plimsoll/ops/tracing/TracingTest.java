package dev.plimsoll.ops.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.plimsoll.ops.testsupport.LogCapture;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import dev.plimsoll.ops.testsupport.Scrape;
import dev.plimsoll.ops.tracing.internal.SpanExportFailures;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {

  @Test
  void exportsSpansOverOtlpHttpWhenAnEndpointIsSet() {
    try (OtlpReceiver otlp = OtlpReceiver.start();
        Tracing tracing =
            Tracing.create(
                "svc", "1.0", "test", Map.of("otel.exporter.otlp.endpoint", otlp.endpoint()))) {
      Span span = tracing.tracer().spanBuilder("work").startSpan();
      String traceId = span.getSpanContext().getTraceId();
      span.end();
      assertThat(tracing.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(otlp.spans())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.traceId()).isEqualTo(traceId);
                assertThat(s.resourceAttribute("service.name")).isEqualTo("svc");
                assertThat(s.resourceAttribute("service.version")).isEqualTo("1.0");
                assertThat(s.resourceAttribute("deployment.environment.name")).isEqualTo("test");
              });
    }
  }

  @Test
  void withoutAnEndpointNothingIsExportedButIdsAreCreated() {
    // An OTLP exporter without an endpoint sends to OTLP/HTTP's default, localhost:4318: a receiver
    // listens there when the port is free, and an export refused there would be counted.
    try (OtlpReceiver defaultEndpoint = OtlpReceiver.startOnPortIfFree(4318);
        Tracing tracing = Tracing.create("svc", "1.0", "test", Map.of())) {
      Span span = tracing.tracer().spanBuilder("work").startSpan();
      assertThat(span.getSpanContext().isValid()).isTrue();
      assertThat(span.getSpanContext().isSampled()).isTrue();
      span.end();
      assertThat(tracing.flush(Duration.ofSeconds(5))).isTrue();
      if (defaultEndpoint != null) {
        assertThat(defaultEndpoint.spans()).as("spans sent to the default endpoint").isEmpty();
      }
      assertThat(tracing.exportFailures().exportFailed()).as("exports attempted").isZero();
    }
  }

  @Test
  void spansACollectorRefusesOrDoesNotAnswerAreCountedAndTheRequestPathNeverWaits() {
    for (int status : new int[] {500, 429}) {
      try (OtlpReceiver otlp = OtlpReceiver.start();
          Tracing tracing = exportingTo(otlp, Map.of())) {
        collectorAnswers(otlp, aResponse().withStatus(status));
        for (int i = 0; i < 5; i++) {
          tracing.tracer().spanBuilder("work").startSpan().end();
        }
        tracing.flush(Duration.ofSeconds(10));
        assertThat(tracing.exportFailures().dropped()).as("status %d", status).isEqualTo(5);
      }
    }
  }

  @Test
  void aHangingCollectorCostsSpansNotRequests() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern("%logger %msg%n");
    try (OtlpReceiver otlp = OtlpReceiver.start();
        Tracing tracing = exportingTo(otlp, Map.of("otel.bsp.max.queue.size", "16"));
        LogCapture logs = LogCapture.attach(encoder)) {
      collectorAnswers(otlp, aResponse().withFixedDelay(5_000));
      // Far more spans than the queue holds, ending while the collector hangs: ending a span only
      // enqueues it (or drops it when the queue is full), so this loop never waits on the network.
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            for (int i = 0; i < 10_000; i++) {
              tracing.tracer().spanBuilder("work").startSpan().end();
            }
          });
      tracing.flush(Duration.ofSeconds(10));
      SpanExportFailures drops = tracing.exportFailures();
      assertThat(drops.exportFailed()).as("spans the hanging collector cost").isPositive();
      // At most the queue (16) and one batch in the worker's hands were ever waiting to be sent:
      // nearly all of the 10,000 spans were dropped on a full queue, and counted.
      assertThat(drops.queueFull()).isGreaterThan(10_000 - 16 - 512 - drops.exportFailed());
      assertThat(drops.dropped()).isEqualTo(drops.exportFailed() + drops.queueFull());

      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      drops.bindTo(registry);
      Scrape scrape = Scrape.parse(registry.scrape());
      assertThat(scrape.sum(DROPPED, Map.of(SpanExportFailures.REASON, "queue_full")))
          .isEqualTo((double) drops.queueFull());
      assertThat(scrape.sum(DROPPED, Map.of(SpanExportFailures.REASON, "export")))
          .isEqualTo((double) drops.exportFailed());
      System.out.printf(
          "hanging collector, queue 16: 10000 spans ended; %d dropped on a full queue, %d failed"
              + " to export%n",
          drops.queueFull(), drops.exportFailed());

      List<String> warnings =
          logs.lines().stream()
              .filter(l -> l.contains(SpanExportFailures.class.getName()))
              .toList();
      assertThat(warnings).filteredOn(l -> l.contains("queue_full")).as("logged once").hasSize(1);
      assertThat(warnings).filteredOn(l -> l.contains("\"export\"")).as("logged once").hasSize(1);
    }
  }

  @Test
  void withoutABackloggedQueueNothingIsCountedAsQueueFull() {
    try (OtlpReceiver otlp = OtlpReceiver.start();
        // A healthy collector: the short timeout of the failure tests would turn a slow first
        // export on a loaded machine into lost spans.
        Tracing tracing = exportingTo(otlp, Map.of("otel.exporter.otlp.timeout", "10000"))) {
      for (int i = 0; i < 20; i++) {
        tracing.tracer().spanBuilder("work").startSpan().end();
      }
      tracing.flush(Duration.ofSeconds(10));
      assertThat(otlp.spans()).hasSize(20);
      assertThat(tracing.exportFailures().queueFull()).isZero();
      assertThat(tracing.exportFailures().dropped()).isZero();
    }
  }

  private static final String DROPPED = "ops_tracing_spans_dropped_total";

  /** Tracing exporting to {@code otlp} with a 300 ms timeout and no retries, then {@code more}. */
  private static Tracing exportingTo(OtlpReceiver otlp, Map<String, String> more) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.exporter.otlp.endpoint", otlp.endpoint());
    properties.put("otel.exporter.otlp.timeout", "300");
    properties.put("otel.experimental.exporter.otlp.retry.enabled", "false");
    properties.putAll(more);
    return Tracing.create("svc", "1.0", "test", properties);
  }

  private static void collectorAnswers(OtlpReceiver otlp, ResponseDefinitionBuilder response) {
    otlp.server().stubFor(post(anyUrl()).willReturn(response));
  }
}
