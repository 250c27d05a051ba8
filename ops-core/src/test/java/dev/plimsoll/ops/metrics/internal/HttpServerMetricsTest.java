package dev.plimsoll.ops.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.metrics.MetricNames;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpServerMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HttpServerMetrics metrics =
      new HttpServerMetrics(registry, 3, List.of(Duration.ofMillis(500), Duration.ofMillis(300)));

  private void request(String method, String route, int status) {
    metrics.requestStarted();
    metrics.requestFinished(method, route, status, MetricNames.NO_ERROR, 1_000_000);
  }

  private double count(String route) {
    return registry
        .find(MetricNames.HTTP_SERVER_REQUEST_DURATION)
        .tag(MetricNames.HTTP_ROUTE, route)
        .timers()
        .stream()
        .mapToDouble(Timer::count)
        .sum();
  }

  @Test
  void routesPastTheCapAreRecordedAsOtherAndCounted() {
    for (int i = 0; i < 10; i++) {
      request("GET", "/r" + i, 200);
    }
    request("GET", "/r0", 200);
    request("GET", MetricNames.ROUTE_UNMATCHED, 404);
    assertThat(metrics.routeCount()).isEqualTo(3);
    assertThat(count("/r0")).isEqualTo(2);
    assertThat(count(MetricNames.ROUTE_OTHER)).isEqualTo(7);
    assertThat(count(MetricNames.ROUTE_UNMATCHED)).isEqualTo(1);
    assertThat(registry.get(MetricNames.HTTP_SERVER_ROUTE_OVERFLOW).counter().count()).isEqualTo(7);
  }

  @Test
  void unknownMethodsAreRecordedAsOther() {
    request("BREW", "/pot", 418);
    request("get", "/pot", 200);
    assertThat(
            registry
                .find(MetricNames.HTTP_SERVER_REQUEST_DURATION)
                .tag(MetricNames.HTTP_REQUEST_METHOD, "_OTHER")
                .timers())
        .hasSize(2);
  }

  @Test
  void bucketsAreTheOpenTelemetryDefaultsPlusTheSloThresholds() {
    assertThat(metrics.buckets())
        .contains(
            Duration.ofMillis(5),
            Duration.ofMillis(300),
            Duration.ofMillis(500),
            Duration.ofSeconds(10))
        .hasSize(15)
        .isSorted();
  }

  @Test
  void theActiveGaugeFollowsRequests() {
    metrics.requestStarted();
    metrics.requestStarted();
    assertThat(registry.get(MetricNames.HTTP_SERVER_ACTIVE_REQUESTS).gauge().value()).isEqualTo(2);
    metrics.requestFinished("GET", "/a", 200, MetricNames.NO_ERROR, 1);
    assertThat(registry.get(MetricNames.HTTP_SERVER_ACTIVE_REQUESTS).gauge().value()).isEqualTo(1);
  }
}
