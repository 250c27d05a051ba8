package dev.plimsoll.ops.tracing;

import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.tracer.common.SpanContext;
import org.jspecify.annotations.Nullable;

/** Shows the Prometheus client the current OpenTelemetry span. */
final class ExemplarSpanContext implements SpanContext {

  @Override
  public @Nullable String getCurrentTraceId() {
    io.opentelemetry.api.trace.SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getTraceId() : null;
  }

  @Override
  public @Nullable String getCurrentSpanId() {
    io.opentelemetry.api.trace.SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    return Span.current().getSpanContext().isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    Span.current().setAttribute(EXEMPLAR_ATTRIBUTE_NAME, EXEMPLAR_ATTRIBUTE_VALUE);
  }
}
