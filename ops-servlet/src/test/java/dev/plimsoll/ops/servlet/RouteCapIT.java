package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Scrape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Its own server: filling the route cap would change the routes every other test sees. */
class RouteCapIT {

  private static final String COUNT = "http_server_request_duration_seconds_count";

  @Test
  void routesPastTheCapFoldIntoOtherAndTotalsStayRight() throws Exception {
    try (TestApp app = new TestApp(Map.of())) {
      int requests = TestApp.MAX_ROUTES * 3;
      for (int i = 0; i < requests; i++) {
        assertThat(app.get("/raw/" + i).statusCode()).isEqualTo(200);
      }
      Scrape scrape = app.scrape();
      long distinctRoutes =
          scrape.samples(COUNT).stream().map(s -> s.label("http_route")).distinct().count();
      assertThat(distinctRoutes).isLessThanOrEqualTo(TestApp.MAX_ROUTES + 2);
      double raw =
          scrape.samples(COUNT).stream()
              .filter(s -> s.label("http_route").startsWith("/raw/"))
              .mapToDouble(Scrape.Sample::value)
              .sum();
      double other = scrape.sum(COUNT, Map.of("http_route", "OTHER"));
      assertThat(raw + other).isEqualTo(requests);
      assertThat(other).isGreaterThan(0);
      assertThat(scrape.sum("ops_http_server_route_overflow_total", Map.of())).isEqualTo(other);
    }
  }
}
