package dev.plimsoll.ops.benchmarks;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.metrics.MetricNames;
import dev.plimsoll.ops.metrics.internal.HttpServerMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One request into the duration histogram and the active-requests gauge, route already seen. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HttpMetricsBenchmark {

  private Plimsoll plimsoll;
  private HttpServerMetrics metrics;

  @Setup
  public void setUp() {
    plimsoll = Bench.plimsoll(true, true, 512);
    metrics = Bench.httpMetrics(plimsoll);
    metrics.requestStarted();
    metrics.requestFinished("GET", Bench.ROUTE, 200, MetricNames.NO_ERROR, 1_000_000);
  }

  @TearDown
  public void tearDown() {
    plimsoll.close();
  }

  @Benchmark
  public void record() {
    metrics.requestStarted();
    metrics.requestFinished("GET", Bench.ROUTE, 200, MetricNames.NO_ERROR, 1_234_567);
  }
}
