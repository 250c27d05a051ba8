package dev.plimsoll.ops.tracing.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the batch span processor's own count of the spans it dropped because its queue was full.
 * The processor reports it on the SDK's meter provider, as {@code processedSpans} with {@code
 * dropped=true} (the SDK's default internal telemetry) or {@code otel.sdk.processor.span.processed}
 * with an {@code error.type} (the semantic-convention one); this reader keeps those two counters
 * and drops every other instrument, so it costs nothing for the application's own OpenTelemetry
 * metrics. Collected when asked, never on a schedule.
 */
public final class QueueFullReader implements MetricReader {

  private static final String LEGACY = "processedSpans";
  private static final String SEMCONV = "otel.sdk.processor.span.processed";
  private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private volatile CollectionRegistration registration = CollectionRegistration.noop();
  // The count survives the SDK's shutdown, after which nothing is collected: a counter never falls.
  private final AtomicLong last = new AtomicLong();

  /** Registers this reader, and views that keep the two counters, on {@code builder}. */
  public SdkMeterProviderBuilder registerOn(SdkMeterProviderBuilder builder) {
    for (String name : new String[] {LEGACY, SEMCONV}) {
      builder.registerView(
          InstrumentSelector.builder().setName(name).build(),
          View.builder().setAggregation(Aggregation.sum()).build());
    }
    return builder.registerMetricReader(this);
  }

  /** Spans dropped on a full queue since the processor started. */
  public long dropped() {
    return last.accumulateAndGet(collect(), Math::max);
  }

  private long collect() {
    long dropped = 0;
    for (MetricData metric : registration.collectAllMetrics()) {
      if (!metric.getName().equals(LEGACY) && !metric.getName().equals(SEMCONV)) {
        continue;
      }
      for (LongPointData point : metric.getLongSumData().getPoints()) {
        if (isDrop(point.getAttributes())) {
          dropped += point.getValue();
        }
      }
    }
    return dropped;
  }

  private static boolean isDrop(Attributes attributes) {
    return Boolean.TRUE.equals(attributes.get(DROPPED)) || attributes.get(ERROR_TYPE) != null;
  }

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return Aggregation.drop();
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }
}
