package dev.plimsoll.ops.benchmarks;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.metrics.internal.HttpServerMetrics;
import java.io.IOException;

/**
 * Heap retained per route, and the size of a scrape: records 1,000 routes × 5 status codes and
 * compares the live heap after a full collection with that of an instance with one route. Run with
 * {@code java -cp benchmarks.jar dev.plimsoll.ops.benchmarks.RouteMemory}.
 */
public final class RouteMemory {

  private RouteMemory() {}

  public static void main(String[] args) throws IOException {
    int routes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    try (Plimsoll plimsoll = Bench.plimsoll(true, false, 100_000)) {
      HttpServerMetrics metrics = Bench.httpMetrics(plimsoll);
      ScrapeBenchmark.record(metrics, 1);
      plimsoll.metrics().scrape(null, new ScrapeBenchmark.CountingStream());
      long before = liveHeap();
      ScrapeBenchmark.record(metrics, routes + 1);
      long after = liveHeap();
      int series = routes * ScrapeBenchmark.STATUSES.length;
      System.out.printf(
          "routes=%d series=%d retained=%d bytes per-route=%d bytes per-series=%d bytes%n",
          routes, series, after - before, (after - before) / routes, (after - before) / series);
      ScrapeBenchmark.CountingStream text = new ScrapeBenchmark.CountingStream();
      plimsoll.metrics().scrape("text/plain", text);
      ScrapeBenchmark.CountingStream openMetrics = new ScrapeBenchmark.CountingStream();
      plimsoll.metrics().scrape(ScrapeBenchmark.OPENMETRICS_ACCEPT, openMetrics);
      System.out.printf(
          "scrape size: text=%d bytes openmetrics=%d bytes%n", text.count, openMetrics.count);
    }
  }

  private static long liveHeap() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
