package dev.plimsoll.assets;

import dev.plimsoll.ops.testsupport.PrometheusServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Dashboard panels run against a live Prometheus. */
final class LivePanels {

  private LivePanels() {}

  /**
   * The expressions for which {@code query} (the PromQL sent for an expression) returns no data,
   * asked again every second for up to {@code patience} while some are empty: recording rules built
   * on recording rules need a few evaluations more.
   */
  static List<String> withoutData(
      PrometheusServer prometheus,
      List<DashboardExpressions.Expression> expressions,
      UnaryOperator<String> query,
      Duration patience) {
    List<String> empty = new ArrayList<>();
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      empty.clear();
      for (DashboardExpressions.Expression expression : expressions) {
        if (prometheus.query(query.apply(expression.expr())).isEmpty()) {
          empty.add(expression.toString());
        }
      }
      if (empty.isEmpty() || System.nanoTime() > deadline) {
        return empty;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return empty;
      }
    }
  }
}
