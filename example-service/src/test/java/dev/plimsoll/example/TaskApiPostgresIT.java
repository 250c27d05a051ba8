package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.LocalServices;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The packaged service on the real PostgreSQL, configured the documented way ({@code DATABASE_URL},
 * {@code DATABASE_USERNAME}, {@code DATABASE_PASSWORD}), in a schema of its own that is dropped
 * afterwards, so leftovers of other runs cannot matter. The password is fake (PostgreSQL trusts
 * local connections) and must never be shown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskApiPostgresIT {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String FAKE_PASSWORD = "Plimsoll-fake-pw-7Qx9";

  private final String schema =
      "tasks_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private ServiceProcess service;
  private ServiceClient client;

  @BeforeAll
  void start() {
    LocalServices.requirePostgres();
    service =
        ServiceProcess.start(
            Map.of(
                // The password also in the URL, where drivers and tools echo it most often.
                "DATABASE_URL",
                POSTGRES + "?currentSchema=" + schema + "&password=" + FAKE_PASSWORD,
                "DATABASE_USERNAME",
                "postgres",
                "DATABASE_PASSWORD",
                FAKE_PASSWORD,
                "OPS_HEALTH_SHOW_DETAILS",
                "true",
                "OPS_SHUTDOWN_DRAIN_DELAY",
                "0s"),
            "--spring.flyway.schemas=" + schema,
            "--spring.flyway.default-schema=" + schema);
    client = service.client();
    service.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() throws SQLException {
    if (service == null) {
      return; // PostgreSQL was not there: nothing was started, nothing to drop
    }
    service.close();
    try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("drop schema if exists " + schema + " cascade");
    }
  }

  @Test
  void storesTasksInPostgres() throws SQLException {
    long id = client.create("stored in PostgreSQL");
    assertThat(titleInDatabase(id)).isEqualTo("stored in PostgreSQL");

    assertThat(ServiceClient.json(client.get("/tasks/" + id)).get("title").asString())
        .isEqualTo("stored in PostgreSQL");
    HttpResponse<String> updated = client.put("/tasks/" + id, "{\"title\":\"done\",\"done\":true}");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(ServiceClient.json(updated).get("done").asBoolean()).isTrue();
    assertThat(titleInDatabase(id)).isEqualTo("done");
    assertThat(ServiceClient.json(client.get("/tasks")).findValues("id"))
        .extracting(JsonNode::asLong)
        .contains(id);
    assertThat(client.post("/tasks", "{\"title\":\"\"}").statusCode()).isEqualTo(400);

    assertThat(client.delete("/tasks/" + id).statusCode()).isEqualTo(204);
    assertThat(client.get("/tasks/" + id).statusCode()).isEqualTo(404);
    assertThat(titleInDatabase(id)).isNull();
  }

  @Test
  void readinessDetailsNamePostgresAndHideThePassword() {
    HttpResponse<String> ready = client.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode database = ServiceClient.json(ready).get("checks").get("database");
    assertThat(database.get("status").asString()).isEqualTo("UP");
    JsonNode details = database.get("details");
    assertThat(details.get("database").asString()).isEqualTo("PostgreSQL");
    assertThat(details.get("url").asString())
        .startsWith(POSTGRES)
        .contains(schema)
        .doesNotContain(FAKE_PASSWORD);
    assertThat(details.get("pool").get("max").asInt()).isEqualTo(10);

    for (String path : List.of("/health/ready", "/health", "/health/live", "/metrics")) {
      assertThat(client.get(path).body()).as(path).doesNotContain(FAKE_PASSWORD);
    }
  }

  @Test
  void thePasswordIsNeverLogged() {
    client.create("logged around");
    assertThat(service.lines()).isNotEmpty().noneMatch(line -> line.contains(FAKE_PASSWORD));
    assertThat(service.output().toLowerCase(Locale.ROOT))
        .doesNotContain(FAKE_PASSWORD.toLowerCase(Locale.ROOT));
  }

  private String titleInDatabase(long id) throws SQLException {
    try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
        PreparedStatement select =
            connection.prepareStatement("select title from " + schema + ".tasks where id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }
}
