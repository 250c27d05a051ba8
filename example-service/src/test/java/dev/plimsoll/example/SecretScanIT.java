package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.FreePorts;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Plants secrets everywhere a service meets them (database password, exporter headers, a credential
 * in a dependency's URL, a client's bearer token and a token in a query string), drives the service
 * through requests, failing dependencies, every health endpoint, a scrape and a SIGTERM, and scans
 * everything it emitted for them.
 */
class SecretScanIT {

  private static final String DB_PASSWORD = "Sx1-db-Qm7vRt2kPz";
  private static final String EXPORTER_TOKEN = "Sx2-otlp-Hn4wLc8y";
  private static final String DOWNSTREAM_PASSWORD = "Sx3-peer-Jd6sBq1t";
  private static final String CLIENT_TOKEN = "Sx4-bearer-Ku9eZx3v";
  private static final String QUERY_TOKEN = "Sx5-query-Ty2mNp5r";
  private static final List<String> SECRETS =
      List.of(DB_PASSWORD, EXPORTER_TOKEN, DOWNSTREAM_PASSWORD, CLIENT_TOKEN, QUERY_TOKEN);

  @Test
  void noPlantedSecretIsEverEmitted() {
    int closed = FreePorts.find(); // nothing listens: exports and downstream calls fail
    List<String> emitted = new ArrayList<>();
    try (ServiceProcess service =
        ServiceProcess.start(
            Map.of(
                "DATABASE_URL", "jdbc:h2:mem:secrets;DB_CLOSE_DELAY=-1",
                "DATABASE_USERNAME", "sa",
                "DATABASE_PASSWORD", DB_PASSWORD,
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closed,
                "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer " + EXPORTER_TOKEN,
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "TASKS_DOWNSTREAM_URL",
                    "http://svc:" + DOWNSTREAM_PASSWORD + "@127.0.0.1:" + closed + "/api",
                "OPS_HEALTH_SHOW_DETAILS", "true",
                "OPS_SHUTDOWN_DRAIN_DELAY", "0s"))) {
      service.awaitReady(Duration.ofSeconds(60));
      ServiceClient client = service.client();
      String auth = "Bearer " + CLIENT_TOKEN;
      for (int i = 0; i < 3; i++) {
        record(emitted, client.post("/tasks", "{\"title\":\"t" + i + "\"}", "Authorization", auth));
        record(emitted, client.get("/tasks?limit=5&token=" + QUERY_TOKEN, "Authorization", auth));
        record(emitted, client.get("/tasks/999999?token=" + QUERY_TOKEN));
      }
      for (String path : List.of("/health", "/health/ready", "/health/live", "/health/started")) {
        record(emitted, client.get(path));
      }
      record(emitted, client.get("/metrics"));
      record(
          emitted, client.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0"));
      assertThat(client.get("/health/ready").body()).contains("\"downstream\"");
      service.sigterm();
      assertThat(service.awaitExit(Duration.ofSeconds(30))).isZero();
      emitted.addAll(service.lines());
      emitted.addAll(service.stderr());
    }
    assertThat(emitted).hasSizeGreaterThan(30);
    // The service really met each secret: the downstream check failed, exports failed.
    assertThat(String.join("\n", emitted)).contains("\"downstream\":{\"status\":\"DOWN\"");
    for (String secret : SECRETS) {
      assertThat(emitted)
          .as("output containing %s", secret)
          .noneMatch(line -> line.contains(secret));
    }
  }

  private static void record(List<String> emitted, HttpResponse<String> response) {
    emitted.add(response.headers().map().toString());
    emitted.add(response.body());
  }
}
