package dev.plimsoll.ops.tracing;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the spans an exporter could not deliver (collector down, hanging past its timeout,
 * answering 5xx or 429) as {@code ops_tracing_spans_dropped_total}, and logs the first failure
 * once, never once per span. Requests never wait for the exporter: spans are exported in the
 * background from a bounded queue.
 */
public final class SpanExportFailures implements MeterBinder {

  /** The counter's Micrometer name; scraped as {@code ops_tracing_spans_dropped_total}. */
  public static final String NAME = "ops.tracing.spans.dropped";

  private static final Logger LOG = LoggerFactory.getLogger(SpanExportFailures.class);

  private final LongAdder dropped = new LongAdder();
  private final AtomicBoolean logged = new AtomicBoolean();

  /** Creates a counter at zero. */
  public SpanExportFailures() {}

  /** Spans dropped so far. */
  public long dropped() {
    return dropped.sum();
  }

  /** Wraps {@code exporter} so that its failures are counted here. */
  SpanExporter counting(SpanExporter exporter) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = exporter.export(spans);
        int count = spans.size();
        result.whenComplete(
            () -> {
              if (!result.isSuccess()) {
                dropped.add(count);
                if (logged.compareAndSet(false, true)) {
                  LOG.warn(
                      "Spans could not be exported; they are dropped and counted in"
                          + " ops_tracing_spans_dropped_total (logged once){}",
                      result.getFailureThrowable() == null
                          ? ""
                          : ": " + result.getFailureThrowable().getClass().getSimpleName());
                }
              }
            });
        return result;
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }

      @Override
      public String toString() {
        return "Counting(" + exporter + ")";
      }
    };
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder(NAME, dropped, LongAdder::sum)
        .description("Spans the exporter could not deliver (collector down, slow or refusing).")
        .register(registry);
  }
}
