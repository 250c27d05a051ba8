package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Scrape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Probes and scrapes are not the service's users: requests under {@code ops.metrics.exclude-paths}
 * (the health and metrics endpoints by default) stay out of the request metrics, so the SLIs of a
 * service that only its probes and Prometheus talk to are empty rather than 100%.
 */
class ProbeTrafficIT {

  private static final String COUNT = "http_server_request_duration_seconds_count";

  @Test
  void probesAndScrapesAreNotRecordedButRequestsAre() throws Exception {
    try (TestApp app = new TestApp(Map.of())) {
      for (int i = 0; i < 20; i++) {
        assertThat(app.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(app.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(app.get("/metrics").statusCode()).isEqualTo(200);
      }
      Scrape probesOnly = app.scrape();
      assertThat(probesOnly.samples(COUNT, Map.of())).isEmpty();

      assertThat(app.get("/hello").statusCode()).isEqualTo(200);
      assertThat(app.scrape().samples(COUNT, Map.of()))
          .singleElement()
          .satisfies(s -> assertThat(s.labels()).containsEntry("http_route", "/hello"));
    }
  }

  @Test
  void theExclusionIsOneSetting() throws Exception {
    try (TestApp app = new TestApp(Map.of("ops.metrics.exclude-paths", "/hello"))) {
      assertThat(app.get("/hello").statusCode()).isEqualTo(200);
      assertThat(app.get("/health/ready").statusCode()).isEqualTo(200);
      assertThat(app.scrape().samples(COUNT, Map.of()))
          .singleElement()
          .satisfies(s -> assertThat(s.labels()).containsEntry("http_route", "/health/*"));
    }
  }
}
