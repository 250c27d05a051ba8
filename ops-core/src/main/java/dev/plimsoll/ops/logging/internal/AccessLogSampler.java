package dev.plimsoll.ops.logging.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.metrics.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides which requests the access log writes ({@code ops.access-log.sample-rate}) and counts the
 * decisions in {@code ops_access_log_requests_total{decision}}. Server errors and requests slower
 * than the SLO threshold are always logged; the others at the rate, chosen from the trace ID as
 * OpenTelemetry's {@code traceidratio} sampler chooses (so at equal rates the logged requests are
 * the traced ones, and every service of a call chain keeps the same requests), or at random when
 * the request has no trace ID. Not API.
 */
public final class AccessLogSampler {

  /** Value of {@link MetricNames#DECISION}: the request was logged. */
  public static final String LOGGED = "logged";

  /** Value of {@link MetricNames#DECISION}: the request was left out by the sample rate. */
  public static final String SAMPLED_OUT = "sampled_out";

  private final boolean everything;
  private final long idUpperBound;
  private final long slowNanos;
  private final LongAdder logged = new LongAdder();
  private final LongAdder sampledOut = new LongAdder();

  /**
   * Keeps {@code rate} of the ordinary requests; counts in {@code registry}, where both series
   * exist from the start, so dashboards can rely on them.
   *
   * @param rate greater than 0 and at most 1; 1 logs every request
   * @param slowThreshold requests longer than this are always logged
   */
  public AccessLogSampler(double rate, Duration slowThreshold, MeterRegistry registry) {
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate must be > 0 and <= 1: " + rate);
    }
    this.everything = rate == 1;
    // As io.opentelemetry.sdk.trace.samplers.TraceIdRatioBasedSampler computes its bound.
    this.idUpperBound = everything ? Long.MAX_VALUE : (long) (rate * Long.MAX_VALUE);
    this.slowNanos = requireNonNull(slowThreshold, "slowThreshold").toNanos();
    FunctionCounter.builder(MetricNames.ACCESS_LOG_REQUESTS, logged, LongAdder::doubleValue)
        .description("Requests the access log considered, by whether it wrote them")
        .tag(MetricNames.DECISION, LOGGED)
        .register(registry);
    FunctionCounter.builder(MetricNames.ACCESS_LOG_REQUESTS, sampledOut, LongAdder::doubleValue)
        .description("Requests the access log considered, by whether it wrote them")
        .tag(MetricNames.DECISION, SAMPLED_OUT)
        .register(registry);
  }

  /**
   * Whether to log a finished request, counted either way.
   *
   * @param serverError whether it failed on the server's side: an exception, or a 5xx status
   * @param durationNanos how long it took
   * @param context its context, whose span's trace ID decides an ordinary request
   */
  public boolean sample(boolean serverError, long durationNanos, Context context) {
    boolean log = everything || serverError || durationNanos > slowNanos || keeps(context);
    (log ? logged : sampledOut).increment();
    return log;
  }

  private boolean keeps(Context context) {
    SpanContext span = Span.fromContext(context).getSpanContext();
    long random =
        span.isValid() ? randomPart(span.getTraceId()) : ThreadLocalRandom.current().nextLong();
    // Math.abs(Long.MIN_VALUE) stays negative and is kept, as in the OpenTelemetry sampler.
    return Math.abs(random) < idUpperBound;
  }

  /** The trace ID's last 16 hex digits, as OpenTelemetry's ratio sampler reads them. */
  static long randomPart(String traceId) {
    long value = 0;
    for (int i = traceId.length() - 16; i < traceId.length(); i++) {
      value = (value << 4) | Character.digit(traceId.charAt(i), 16);
    }
    return value;
  }
}
