package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.PrometheusServer;
import dev.plimsoll.ops.testsupport.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that only its probes and Prometheus talk to has no SLIs: with the packaged example
 * service probed and scraped every second and every rule file loaded into a real Prometheus, the
 * request rate and the error and latency ratios are absent, not 0% errors and 100% availability.
 * The first real request makes them appear, so the queries themselves are sound.
 */
class ProbeTrafficSlisIT {

  private static final String SERVICE = "{service_name=\"example-service\"}";

  @Test
  void probesAndScrapesAloneGiveNoSlis(@TempDir Path work) throws Exception {
    int port = FreePorts.find();
    String base = "http://127.0.0.1:" + port;
    try (JavaProcess service = ExampleServices.start(Assets.exampleServiceJar(), port, Map.of());
        PrometheusServer prometheus =
            PrometheusServer.start(
                "example-service", List.of("127.0.0.1:" + port), RulesFiles.all(), work)) {
      Await.until(
          "the service to be ready",
          Duration.ofSeconds(90),
          () -> status(base + "/health/ready") == 200);
      Await.until(
          "Prometheus to scrape the service", Duration.ofSeconds(30), prometheus::targetsUp);
      // Probes for a while, as a kubelet and a load balancer would send them.
      long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime() < until) {
        assertThat(TestHttp.get(base + "/health/ready").statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(base + "/health/live").statusCode()).isEqualTo(200);
        Thread.sleep(100);
      }
      Await.until(
          "the deployment thresholds evaluated (the rules run)",
          Duration.ofSeconds(30),
          () -> !prometheus.query("service:rollback_error_ratio:threshold" + SERVICE).isEmpty());
      for (String sli :
          List.of(
              "http_server_request_duration_seconds_count",
              "service:http_requests:rate5m",
              "service:http_request_error_ratio:rate5m",
              "service:http_request_slow_ratio:rate5m",
              "service_version:http_request_error_ratio:rate1m",
              "service:slo_availability_objective:ratio")) {
        assertThat(prometheus.query(sli + SERVICE)).as("%s under probes alone", sli).isEmpty();
      }

      assertThat(TestHttp.get(base + "/tasks?limit=1").statusCode()).isEqualTo(200);
      Await.until(
          "the request rate after one real request",
          Duration.ofSeconds(30),
          () -> !prometheus.query("service:http_requests:rate5m" + SERVICE).isEmpty());
      assertThat(prometheus.query("http_server_request_duration_seconds_count" + SERVICE))
          .as("only the real request's route is recorded")
          .allSatisfy(
              series ->
                  assertThat(String.valueOf(series.get("metric"))).contains("http_route=/tasks"));
    }
  }

  /** The status, or -1 while nothing listens yet. */
  private static int status(String url) {
    try {
      return TestHttp.get(url).statusCode();
    } catch (IllegalStateException e) {
      return -1;
    }
  }
}
