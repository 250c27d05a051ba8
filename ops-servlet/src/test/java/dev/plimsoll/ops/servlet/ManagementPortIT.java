package dev.plimsoll.ops.servlet;

import static dev.plimsoll.ops.testsupport.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.Scrape;
import java.net.http.HttpResponse;
import java.util.Map;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * {@code ops.management.port} on a real Jetty with two connectors: the scrape and every check, with
 * details, only on the management port; the probes alone, without details, on the main port.
 */
class ManagementPortIT {

  @Test
  void metricsAndHealthDetailsAnswerOnlyOnTheManagementPort() throws Exception {
    int managementPort = FreePorts.find();
    Plimsoll plimsoll =
        Plimsoll.builder()
            .settings(
                OpsSettings.from(
                    ConfigSource.of(
                        Map.of(
                            "ops.management.port", Integer.toString(managementPort),
                            "ops.health.show-details", "true",
                            "ops.health.disk.min-free-mb", "1",
                            "ops.shutdown.hook", "false"))))
            .build();
    SlowServer app = new SlowServer(plimsoll);
    // Any servlet container: the application opens the second listener, Plimsoll tells them apart.
    ServerConnector management = new ServerConnector(app.server);
    management.setHost("127.0.0.1");
    management.setPort(managementPort);
    app.server.addConnector(management);
    management.start();
    try {
      String main = "http://127.0.0.1:" + app.port;
      String admin = "http://127.0.0.1:" + managementPort;

      assertThat(get(main + "/slow?ms=1").statusCode()).isEqualTo(200);
      assertThat(get(main + "/metrics").statusCode())
          .as("/metrics on the main port")
          .isEqualTo(404);
      assertThat(get(main + "/health").statusCode())
          .as("every check on the main port")
          .isEqualTo(404);
      for (String probe : new String[] {"/health/live", "/health/ready", "/health/started"}) {
        HttpResponse<String> onMain = get(main + probe);
        assertThat(onMain.statusCode()).as("%s on the main port", probe).isEqualTo(200);
        assertThat(onMain.body()).as("%s on the main port", probe).doesNotContain("\"details\"");
      }

      HttpResponse<String> metrics = get(admin + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(
              Scrape.parse(metrics.body())
                  .sum(
                      "http_server_request_duration_seconds_count",
                      Map.of("http_route", "/slow", "http_response_status_code", "200")))
          .as("the main port's traffic in the management port's scrape")
          .isEqualTo(1.0);
      HttpResponse<String> all = get(admin + "/health");
      assertThat(all.statusCode()).isEqualTo(200);
      assertThat(all.body()).contains("\"disk\"").contains("\"details\"");
      assertThat(get(admin + "/health/ready").body()).contains("\"details\"");
    } finally {
      app.server.stop();
      plimsoll.close();
    }
  }
}
