package dev.plimsoll.ops.benchmarks;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.servlet.PlimsollFilter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.Map;
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

/**
 * {@link PlimsollFilter#doFilter} around a servlet that does nothing: metrics, a sampled SERVER
 * span to a discarding exporter, MDC, and the access log (JSON to /dev/null, asynchronous).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterBenchmark {

  @Param({"true", "false"})
  public boolean accessLog;

  @Param({"on", "off"})
  public String sampler;

  private Plimsoll plimsoll;
  private PlimsollFilter filter;
  private final FakeServlet.NoopChain chain = new FakeServlet.NoopChain();

  @Setup
  public void setUp() {
    plimsoll = Bench.plimsoll(sampler.equals("on"), accessLog, 512);
    filter = new PlimsollFilter(plimsoll, request -> Bench.ROUTE);
  }

  @TearDown
  public void tearDown() {
    plimsoll.close();
  }

  @Benchmark
  public void doFilter(Exchange exchange) throws IOException, ServletException {
    filter.doFilter(exchange.request, exchange.response, chain);
    exchange.request.recycle();
    exchange.response.recycle();
  }

  /** One connection's request and response objects, reused as a container reuses them. */
  @State(Scope.Thread)
  public static class Exchange {
    final FakeServlet.Request request =
        new FakeServlet.Request(Map.of("User-Agent", "wrk/4.1.0", "Host", "localhost:8080"));
    final FakeServlet.Response response = new FakeServlet.Response();
  }
}
