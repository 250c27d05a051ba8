package dev.plimsoll.ops.benchmarks;

import dev.plimsoll.ops.logging.internal.LogCorrelation;
import dev.plimsoll.ops.logging.internal.RequestIds;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Request-ID acceptance or generation, and putting the IDs in the MDC and taking them out. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestIdBenchmark {

  private final String incoming = "3f2a9c1e-7b4d-4e8a-9f10-2c6d8e4b1a77";
  private final String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  private final String spanId = "00f067aa0ba902b7";
  private final LogCorrelation correlation = new LogCorrelation("trace_id", "span_id");

  @Benchmark
  public String acceptIncoming() {
    return RequestIds.acceptOrGenerate(incoming);
  }

  @Benchmark
  public String generate() {
    return RequestIds.acceptOrGenerate(null);
  }

  @Benchmark
  public void mdcPutClear(Blackhole blackhole) {
    correlation.put(incoming, traceId, spanId);
    blackhole.consume(org.slf4j.MDC.get("request_id"));
    correlation.clear();
  }
}
