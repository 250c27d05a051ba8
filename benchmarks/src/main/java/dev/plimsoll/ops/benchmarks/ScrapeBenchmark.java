package dev.plimsoll.ops.benchmarks;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.metrics.MetricNames;
import dev.plimsoll.ops.metrics.internal.HttpServerMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Rendering {@code /metrics} with routes × 5 status codes of HTTP series plus the JVM meters. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScrapeBenchmark {

  static final String OPENMETRICS_ACCEPT = "application/openmetrics-text; version=1.0.0";
  static final int[] STATUSES = {200, 201, 404, 500, 503};

  @Param({"100", "1000"})
  public int routes;

  @Param({"text", "openmetrics"})
  public String format;

  private Plimsoll plimsoll;
  private String accept;
  private final CountingStream out = new CountingStream();

  @Setup
  public void setUp() {
    plimsoll = Bench.plimsoll(true, true, 100_000);
    record(Bench.httpMetrics(plimsoll), routes);
    accept = format.equals("text") ? "text/plain" : OPENMETRICS_ACCEPT;
  }

  /** Records one request for each route and status. */
  static void record(HttpServerMetrics metrics, int routes) {
    for (int route = 0; route < routes; route++) {
      for (int status : STATUSES) {
        metrics.requestStarted();
        metrics.requestFinished(
            "GET",
            "/api/resource" + route + "/{id}",
            status,
            status >= 500 ? Integer.toString(status) : MetricNames.NO_ERROR,
            1_000_000L + route);
      }
    }
  }

  @TearDown
  public void tearDown() {
    plimsoll.close();
  }

  @Benchmark
  public long scrape() throws IOException {
    out.count = 0;
    plimsoll.metrics().scrape(accept, out);
    return out.count;
  }

  /** Counts and drops what is written, as a fast client would read it. */
  static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
