package dev.plimsoll.ops.servlet;

import static dev.plimsoll.ops.testsupport.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.ManagementPortCheck;
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
      ManagementPortCheck.assertSplit(
          main, admin, Map.of("http_route", "/slow", "http_response_status_code", "200"));
      assertThat(get(admin + "/health").body()).contains("\"disk\"");
    } finally {
      app.server.stop();
      plimsoll.close();
    }
  }
}
