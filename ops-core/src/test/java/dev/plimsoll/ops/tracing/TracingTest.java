package dev.plimsoll.ops.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.OtlpReceiver;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
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
}
