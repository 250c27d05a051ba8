package dev.plimsoll.ops.metrics.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Plimsoll's own instrumentation reports that it failed: each failure is counted by stage,
 * and the first of each stage is logged with its stack trace, so a broken instrument never floods
 * the log nor fails a request. Thread-safe.
 */
public final class InstrumentationFailures {

  private static final Logger LOG = LoggerFactory.getLogger(InstrumentationFailures.class);

  private final MeterRegistry registry;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  /** Counts failures in {@code registry}. */
  public InstrumentationFailures(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  /** Records that {@code stage} failed with {@code failure}; never throws. */
  public void record(String stage, Throwable failure) {
    try {
      Counter.builder(MetricNames.INSTRUMENTATION_ERRORS)
          .description("Failures inside Plimsoll's instrumentation; requests went on regardless.")
          .tag(MetricNames.STAGE, stage)
          .register(registry)
          .increment();
      if (logged.add(stage)) {
        LOG.error(
            "Plimsoll instrumentation failed at stage '{}'; the request went on. Later failures of this stage are only counted in {}.",
            stage,
            "ops_instrumentation_errors_total",
            failure);
      }
    } catch (RuntimeException | LinkageError e) {
      // Reporting must never become the failure it reports.
    }
  }
}
