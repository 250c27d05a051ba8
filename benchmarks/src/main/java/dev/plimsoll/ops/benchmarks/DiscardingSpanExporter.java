package dev.plimsoll.ops.benchmarks;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;

/** Accepts every span and drops it: the export path without a collector to wait for. */
public final class DiscardingSpanExporter implements SpanExporter {

  /**
   * An OpenTelemetry SDK whose batch processor feeds this exporter; every span sampled or none. It
   * references no Plimsoll class, so apps run without Plimsoll's jars can use it too.
   */
  public static OpenTelemetrySdk sdk(boolean sampled) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setSampler(sampled ? Sampler.alwaysOn() : Sampler.alwaysOff())
                .addSpanProcessor(BatchSpanProcessor.builder(new DiscardingSpanExporter()).build())
                .build())
        .build();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
