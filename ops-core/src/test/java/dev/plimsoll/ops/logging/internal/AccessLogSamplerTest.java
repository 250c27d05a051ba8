package dev.plimsoll.ops.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.metrics.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The access log's sampling decision and its counts. */
class AccessLogSamplerTest {

  private static final Duration SLO = Duration.ofMillis(500);
  private static final long ORDINARY_NANOS = Duration.ofMillis(3).toNanos();
  private static final int REQUESTS = 100_000;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Random random = new Random(16);

  private Context traced(String traceId) {
    SpanContext span =
        SpanContext.create(
            traceId, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
    return Context.root().with(Span.wrap(span));
  }

  private String randomTraceId() {
    return String.format("%016x%016x", random.nextLong(), random.nextLong());
  }

  private double count(String decision) {
    FunctionCounter counter =
        registry
            .find(MetricNames.ACCESS_LOG_REQUESTS)
            .tag(MetricNames.DECISION, decision)
            .functionCounter();
    assertThat(counter).as("the %s counter", decision).isNotNull();
    return counter.count();
  }

  @Test
  void serverErrorsAndSlowRequestsAreLoggedAtAnyRate() {
    for (double rate : new double[] {0.0001, 0.01, 0.5}) {
      AccessLogSampler sampler = new AccessLogSampler(rate, SLO, new SimpleMeterRegistry());
      for (int i = 0; i < 1_000; i++) {
        Context context = traced(randomTraceId());
        assertThat(sampler.sample(true, ORDINARY_NANOS, context))
            .as("an error at %s", rate)
            .isTrue();
        assertThat(sampler.sample(false, SLO.toNanos() + 1, context))
            .as("a slow request at %s", rate)
            .isTrue();
        assertThat(sampler.sample(true, 0, Context.root())).isTrue();
      }
    }
  }

  @Test
  void aRequestAtTheThresholdIsNotSlow() {
    // The SLO bucket is le="0.5": a request of exactly 500 ms meets the objective.
    AccessLogSampler sampler = new AccessLogSampler(0.01, SLO, registry);
    assertThat(sampler.sample(false, SLO.toNanos(), traced("4bf92f3577b34da67fffffffffffff00")))
        .isFalse();
  }

  @Test
  void rateOneLogsEveryRequest() {
    AccessLogSampler sampler = new AccessLogSampler(1, SLO, registry);
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(sampler.sample(false, ORDINARY_NANOS, traced(randomTraceId()))).isTrue();
    }
    // The trace ID whose random part is Long.MAX_VALUE, which a bound-based rule would miss.
    assertThat(sampler.sample(false, ORDINARY_NANOS, traced("4bf92f3577b34da67fffffffffffffff")))
        .isTrue();
    assertThat(sampler.sample(false, ORDINARY_NANOS, Context.root())).isTrue();
    assertThat(count(AccessLogSampler.LOGGED)).isEqualTo(REQUESTS + 2);
    assertThat(count(AccessLogSampler.SAMPLED_OUT)).isZero();
  }

  @Test
  void aTenthOfOrdinaryRequestsIsLoggedAndEveryDecisionCounted() {
    AccessLogSampler sampler = new AccessLogSampler(0.1, SLO, registry);
    int logged = 0;
    for (int i = 0; i < REQUESTS; i++) {
      if (sampler.sample(false, ORDINARY_NANOS, traced(randomTraceId()))) {
        logged++;
      }
    }
    // 10,000 expected, standard deviation 95: 500 is over five of them, while a sampler off by a
    // tenth of its rate (9,000 or 11,000), halving or doubling it, or ignoring it fails.
    assertThat(logged).isBetween(9_500, 10_500);
    assertThat(count(AccessLogSampler.LOGGED)).isEqualTo(logged);
    assertThat(count(AccessLogSampler.SAMPLED_OUT)).isEqualTo(REQUESTS - logged);
  }

  @Test
  void requestsWithoutATraceIdAreSampledAtRandomAtTheRate() {
    AccessLogSampler sampler = new AccessLogSampler(0.1, SLO, registry);
    int logged = 0;
    for (int i = 0; i < REQUESTS; i++) {
      if (sampler.sample(false, ORDINARY_NANOS, Context.root())) {
        logged++;
      }
    }
    assertThat(logged).isBetween(9_500, 10_500);
    assertThat(count(AccessLogSampler.LOGGED) + count(AccessLogSampler.SAMPLED_OUT))
        .isEqualTo(REQUESTS);
  }

  @Test
  void theDecisionIsOpenTelemetrysTraceIdRatioDecision() {
    // At equal rates, the requests logged are the ones a traceidratio sampler traces.
    for (double rate : new double[] {0.01, 0.1, 0.5}) {
      AccessLogSampler sampler = new AccessLogSampler(rate, SLO, new SimpleMeterRegistry());
      Sampler otel = Sampler.traceIdRatioBased(rate);
      for (int i = 0; i < 10_000; i++) {
        String traceId = randomTraceId();
        boolean traced =
            otel.shouldSample(
                        Context.root(),
                        traceId,
                        "GET",
                        SpanKind.SERVER,
                        Attributes.empty(),
                        List.of())
                    .getDecision()
                == SamplingDecision.RECORD_AND_SAMPLE;
        assertThat(sampler.sample(false, ORDINARY_NANOS, traced(traceId)))
            .as("trace %s at %s", traceId, rate)
            .isEqualTo(traced);
      }
    }
  }

  @Test
  void bothSeriesExistBeforeTheFirstRequest() {
    new AccessLogSampler(0.5, SLO, registry);
    assertThat(count(AccessLogSampler.LOGGED)).isZero();
    assertThat(count(AccessLogSampler.SAMPLED_OUT)).isZero();
  }

  @Test
  void aRateOutsideItsRangeIsRefused() {
    for (double rate : new double[] {0, -0.5, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> new AccessLogSampler(rate, SLO, new SimpleMeterRegistry()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
