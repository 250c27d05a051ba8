package dev.plimsoll.ops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

/**
 * What {@code ops.management.port} promises, checked over HTTP against a running service, the same
 * on every container: on the main port {@code /metrics} and {@code /health} (every check) answer
 * 404 and the probes answer without details; on the management port the scrape (with the main
 * port's traffic) and every check with details. The service must run with {@code
 * ops.health.show-details=true}, so that hidden details are hidden by the port alone.
 */
public final class ManagementPortCheck {

  private static final String DETAILS = "\"details\"";

  private ManagementPortCheck() {}

  /**
   * Checks both ports.
   *
   * @param main the main port's base URL, {@code http://host:port}
   * @param management the management port's base URL
   * @param served labels of one request already served on the main port, as the request metric
   *     records it
   */
  public static void assertSplit(String main, String management, Map<String, String> served) {
    assertThat(TestHttp.get(main + "/metrics").statusCode())
        .as("/metrics on the main port")
        .isEqualTo(404);
    assertThat(TestHttp.get(main + "/health").statusCode())
        .as("every check on the main port")
        .isEqualTo(404);
    for (String probe : new String[] {"/health/live", "/health/ready", "/health/started"}) {
      HttpResponse<String> onMain = TestHttp.get(main + probe);
      assertThat(onMain.statusCode()).as("%s on the main port", probe).isEqualTo(200);
      assertThat(onMain.body()).as("%s on the main port", probe).doesNotContain(DETAILS);
    }

    HttpResponse<String> metrics = TestHttp.get(management + "/metrics");
    assertThat(metrics.statusCode()).as("/metrics on the management port").isEqualTo(200);
    assertThat(
            Scrape.parse(metrics.body()).sum("http_server_request_duration_seconds_count", served))
        .as("the main port's request %s in the management port's scrape", served)
        .isGreaterThanOrEqualTo(1.0);
    HttpResponse<String> all = TestHttp.get(management + "/health");
    assertThat(all.statusCode()).as("every check on the management port").isEqualTo(200);
    assertThat(all.body()).as("every check on the management port").contains(DETAILS);
    assertThat(TestHttp.get(management + "/health/ready").body())
        .as("readiness on the management port")
        .contains(DETAILS);
  }
}
