package dev.plimsoll.example;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.LocalServices;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import dev.plimsoll.ops.testsupport.TcpFaultProxy;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Plants secrets everywhere a service meets them (database password, exporter headers, a credential
 * in a dependency's URL, a client's bearer token and a token in a query string), drives the service
 * through requests, failing dependencies, every health endpoint, a scrape and a SIGTERM, and scans
 * everything it emitted for them; then once more with a database that fails under the service and a
 * collector that answers the exporter's token with 401, so both secrets travel an error path.
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

  @Test
  void noPlantedSecretIsEmittedWhenTheDatabaseFailsAndTheCollectorRefusesTheToken()
      throws Exception {
    LocalServices.requirePostgres();
    String schema = "secretscan_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    List<String> emitted = new ArrayList<>();
    try (TcpFaultProxy database = TcpFaultProxy.start(LocalServices.POSTGRES);
        OtlpReceiver collector = OtlpReceiver.start()) {
      collector
          .server()
          .stubFor(post(anyUrl()).willReturn(aResponse().withStatus(401).withBody("bad token")));
      try (ServiceProcess service =
          ServiceProcess.start(
              Map.of(
                  // The password also in the URL, where drivers and tools echo it most often.
                  "DATABASE_URL",
                  "jdbc:postgresql://127.0.0.1:"
                      + database.port()
                      + "/test?currentSchema="
                      + schema
                      + "&password="
                      + DB_PASSWORD,
                  "DATABASE_USERNAME",
                  "postgres",
                  "DATABASE_PASSWORD",
                  DB_PASSWORD,
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  collector.endpoint(),
                  "OTEL_EXPORTER_OTLP_HEADERS",
                  "authorization=Bearer " + EXPORTER_TOKEN,
                  "OTEL_BSP_SCHEDULE_DELAY",
                  "100",
                  "OPS_HEALTH_SHOW_DETAILS",
                  "true",
                  "OPS_SHUTDOWN_DRAIN_DELAY",
                  "0s"),
              "--spring.flyway.schemas=" + schema,
              "--spring.flyway.default-schema=" + schema)) {
        service.awaitReady(Duration.ofSeconds(60));
        ServiceClient client = service.client();
        record(emitted, client.post("/tasks", "{\"title\":\"before\"}"));
        record(emitted, client.get("/health/ready"));

        database.cut();
        HttpResponse<String> down =
            Await.until(
                "readiness DOWN with the database cut",
                Duration.ofSeconds(30),
                () -> {
                  HttpResponse<String> ready = client.get("/health/ready");
                  return ready.statusCode() == 503 ? ready : null;
                });
        record(emitted, down);
        assertThat(down.body()).contains("\"database\":{\"status\":\"DOWN\"");
        for (int i = 0; i < 3; i++) {
          HttpResponse<String> failed = client.post("/tasks", "{\"title\":\"t" + i + "\"}");
          assertThat(failed.statusCode()).as("a write with the database cut").isGreaterThan(499);
          record(emitted, failed);
          record(emitted, client.get("/tasks?limit=5"));
        }
        for (String path : List.of("/health", "/health/live", "/health/started", "/metrics")) {
          record(emitted, client.get(path));
        }
        // The exporter really sent the token, was refused, and the service said so.
        Await.until(
            "the refused export to be logged",
            Duration.ofSeconds(30),
            () -> service.lines().stream().anyMatch(l -> l.contains("could not be exported")));
        assertThat(collector.server().findAll(postRequestedFor(anyUrl())))
            .isNotEmpty()
            .allMatch(r -> ("Bearer " + EXPORTER_TOKEN).equals(r.getHeader("authorization")));
        service.sigterm();
        service.awaitExit(Duration.ofSeconds(30));
        emitted.addAll(service.lines());
        emitted.addAll(service.stderr());
      }
    } finally {
      dropSchema(schema);
    }
    assertThat(emitted).hasSizeGreaterThan(20);
    for (String secret : List.of(DB_PASSWORD, EXPORTER_TOKEN)) {
      assertThat(emitted)
          .as("output containing %s", secret)
          .noneMatch(line -> line.contains(secret));
    }
  }

  private static void dropSchema(String schema) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("drop schema if exists " + schema + " cascade");
    }
  }

  private static void record(List<String> emitted, HttpResponse<String> response) {
    emitted.add(response.headers().map().toString());
    emitted.add(response.body());
  }
}
