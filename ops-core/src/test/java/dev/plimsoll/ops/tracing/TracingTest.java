package dev.plimsoll.ops.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.HashMap;
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
    try (OtlpReceiver otlp = OtlpReceiver.start();
        Tracing tracing = Tracing.create("svc", "1.0", "test", Map.of())) {
      Span span = tracing.tracer().spanBuilder("work").startSpan();
      assertThat(span.getSpanContext().isValid()).isTrue();
      assertThat(span.getSpanContext().isSampled()).isTrue();
      span.end();
      assertThat(tracing.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(otlp.spans()).isEmpty();
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
    try (OtlpReceiver otlp = OtlpReceiver.start();
        Tracing tracing = exportingTo(otlp, Map.of("otel.bsp.max.queue.size", "16"))) {
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
      assertThat(tracing.exportFailures().dropped()).isPositive();
    }
  }

  /** Tracing exporting to {@code otlp} with a 300 ms timeout and no retries, plus {@code more}. */
  private static Tracing exportingTo(OtlpReceiver otlp, Map<String, String> more) {
    Map<String, String> properties = new HashMap<>(more);
    properties.put("otel.exporter.otlp.endpoint", otlp.endpoint());
    properties.put("otel.exporter.otlp.timeout", "300");
    properties.put("otel.experimental.exporter.otlp.retry.enabled", "false");
    return Tracing.create("svc", "1.0", "test", properties);
  }

  private static void collectorAnswers(OtlpReceiver otlp, ResponseDefinitionBuilder response) {
    otlp.server().stubFor(post(anyUrl()).willReturn(response));
  }
}
