package dev.plimsoll.ops.tracing.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the spans that never reach the collector as {@code ops_tracing_spans_dropped_total}: those
 * the exporter could not deliver (collector down, hanging past its timeout, answering 5xx or 429;
 * {@code reason="export"}) and those the batch processor dropped because its queue was full ({@code
 * reason="queue_full"}). Each kind of loss is logged once, never once per span. Requests never wait
 * for the exporter: spans are exported in the background from a bounded queue.
 */
public final class SpanExportFailures implements MeterBinder {

  /** The counter's Micrometer name; scraped as {@code ops_tracing_spans_dropped_total}. */
  public static final String NAME = "ops.tracing.spans.dropped";

  /** The label that says why spans were dropped. */
  public static final String REASON = "reason";

  /** {@link #REASON}: the exporter could not deliver them. */
  public static final String EXPORT = "export";

  /** {@link #REASON}: the batch processor's queue was full when they ended. */
  public static final String QUEUE_FULL = "queue_full";

  private static final Logger LOG = LoggerFactory.getLogger(SpanExportFailures.class);

  private final LongAdder exportFailed = new LongAdder();
  private final AtomicBoolean exportLogged = new AtomicBoolean();
  private final AtomicBoolean queueLogged = new AtomicBoolean();
  private final @Nullable QueueFullReader queue;

  /** Creates a counter at zero that sees export failures only. */
  public SpanExportFailures() {
    this(null);
  }

  private SpanExportFailures(@Nullable QueueFullReader queue) {
    this.queue = queue;
  }

  /** Also counts the batch processor's queue-full drops, read from the SDK's meter provider. */
  public static SpanExportFailures withQueue(QueueFullReader queue) {
    return new SpanExportFailures(queue);
  }

  /** Spans dropped so far, for either reason. */
  public long dropped() {
    return exportFailed() + queueFull();
  }

  /** Spans the exporter could not deliver. */
  public long exportFailed() {
    return exportFailed.sum();
  }

  /** Spans the batch processor dropped because its queue was full; logs the first such loss. */
  public long queueFull() {
    long dropped = queue == null ? 0 : queue.dropped();
    if (dropped > 0 && queueLogged.compareAndSet(false, true)) {
      LOG.warn(
          "The span queue is full: spans are dropped and counted in"
              + " ops_tracing_spans_dropped_total{reason=\"queue_full\"} (logged once); the"
              + " collector is slow or OTEL_BSP_MAX_QUEUE_SIZE too small");
    }
    return dropped;
  }

  /** Wraps {@code exporter} so that its failures are counted here. */
  public SpanExporter counting(SpanExporter exporter) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        // On the processor's worker, never a request thread: the first queue-full loss is logged
        // without waiting for a scrape.
        queueFull();
        CompletableResultCode result = exporter.export(spans);
        int count = spans.size();
        result.whenComplete(
            () -> {
              if (!result.isSuccess()) {
                exportFailed.add(count);
                if (exportLogged.compareAndSet(false, true)) {
                  LOG.warn(
                      "Spans could not be exported; they are dropped and counted in"
                          + " ops_tracing_spans_dropped_total{reason=\"export\"} (logged once){}",
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
    FunctionCounter.builder(NAME, exportFailed, LongAdder::sum)
        .description("Spans dropped: not delivered (export) or not queued (queue_full).")
        .tag(REASON, EXPORT)
        .register(registry);
    FunctionCounter.builder(NAME, this, SpanExportFailures::queueFull)
        .description("Spans dropped: not delivered (export) or not queued (queue_full).")
        .tag(REASON, QUEUE_FULL)
        .register(registry);
  }
}
