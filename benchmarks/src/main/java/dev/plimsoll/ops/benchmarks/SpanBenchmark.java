package dev.plimsoll.ops.benchmarks;

import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.metrics.MetricNames;
import dev.plimsoll.ops.tracing.Tracing;
import dev.plimsoll.ops.tracing.internal.HttpServerTracing;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Starting and ending one SERVER span; the batch processor hands it to an exporter that drops it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpanBenchmark {

  @Param({"on", "off"})
  public String sampler;

  /** Whether the request carries a W3C {@code traceparent}. */
  @Param({"false", "true"})
  public boolean parent;

  private static final RequestFacts REQUEST =
      RequestFacts.of("GET", "http", Bench.PATH, "localhost", 8080, "127.0.0.1", "wrk/4.1.0");

  private OpenTelemetrySdk sdk;
  private HttpServerTracing tracing;
  private Map<String, String> headers;

  @Setup
  public void setUp() {
    sdk = DiscardingSpanExporter.sdk(sampler.equals("on"));
    tracing = new HttpServerTracing(Tracing.of(sdk));
    headers =
        parent
            ? Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            : Map.of();
  }

  @TearDown
  public void tearDown() {
    sdk.close();
  }

  @Benchmark
  public Context startEnd() {
    Context context = tracing.start(headers, MapGetter.INSTANCE, REQUEST);
    tracing.end(context, "GET", Bench.ROUTE, 200, MetricNames.NO_ERROR, null);
    return context;
  }

  enum MapGetter implements TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
