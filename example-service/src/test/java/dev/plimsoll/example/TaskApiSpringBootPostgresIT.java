package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.LocalServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service as a {@code @SpringBootTest} on the real PostgreSQL, in a schema of its own. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"ops.shutdown.drain-delay=0s", "ops.health.show-details=true"})
class TaskApiSpringBootPostgresIT {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String SCHEMA =
      "tasks_sbt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @LocalServerPort int port;

  @BeforeAll
  static void requirePostgres() {
    LocalServices.requirePostgres();
  }

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> POSTGRES + "?currentSchema=" + SCHEMA);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "");
    registry.add("spring.flyway.schemas", () -> SCHEMA);
    registry.add("spring.flyway.default-schema", () -> SCHEMA);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("drop schema if exists " + SCHEMA + " cascade");
    }
  }

  @Test
  void crudAndReadinessOnPostgres() {
    ServiceClient client = ServiceClient.onPort(port);
    long id = client.create("on PostgreSQL");
    assertThat(client.get("/tasks/" + id).body()).contains("\"title\":\"on PostgreSQL\"");
    assertThat(client.put("/tasks/" + id, "{\"title\":\"done\",\"done\":true}").statusCode())
        .isEqualTo(200);
    assertThat(client.delete("/tasks/" + id).statusCode()).isEqualTo(204);
    assertThat(client.get("/tasks/" + id).statusCode()).isEqualTo(404);

    String ready = client.get("/health/ready").body();
    assertThat(ready).contains("\"status\":\"UP\"").contains("\"database\":\"PostgreSQL\"");
    assertThat(
            client
                .scrape()
                .sum(
                    "http_server_request_duration_seconds_count",
                    Map.of("http_route", "/tasks/{id}", "http_response_status_code", "404")))
        .isEqualTo(1.0);
  }
}
