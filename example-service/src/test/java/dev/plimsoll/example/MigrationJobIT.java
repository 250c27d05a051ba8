package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.LocalServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Migrations as their own step, as {@code deploy/components/migration-job} runs them on the real
 * PostgreSQL: the packaged jar's {@code migrate} command with the migration user (who owns the
 * schema) migrates and exits 0, even with {@code SPRING_FLYWAY_ENABLED=false} in its environment
 * (the Job reads the service's ConfigMap); the service then runs with migrations off and a user
 * that may only read and write rows, and the same service with migrations on cannot start with that
 * user. A database and two roles of its own, dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationJobIT {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final Duration EXIT = Duration.ofSeconds(120);

  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String database = "plimsoll_migration_" + suffix;
  private final String migrator = "plimsoll_migrator_" + suffix;
  private final String app = "plimsoll_app_" + suffix;

  @BeforeAll
  void createDatabaseAndUsers() throws SQLException {
    LocalServices.requirePostgres();
    // What a DBA does once (docs/migrations.md): the migration user owns the database and so its
    // public schema; the service's user gets row rights on whatever the migration user creates.
    execute(
        "test",
        "create role " + migrator + " login",
        "create role " + app + " login",
        "create database " + database + " owner " + migrator);
    execute(
        database,
        "revoke create on schema public from public",
        "grant usage on schema public to " + app,
        "alter default privileges for role "
            + migrator
            + " in schema public grant select, insert, update, delete on tables to "
            + app,
        "alter default privileges for role "
            + migrator
            + " in schema public grant usage, select on sequences to "
            + app);
  }

  @AfterAll
  void dropDatabaseAndUsers() throws SQLException {
    execute(
        "test",
        "drop database if exists " + database + " with (force)",
        "drop role if exists " + app,
        "drop role if exists " + migrator);
  }

  @Test
  void theJobMigratesThenTheServiceRunsWithoutDdlRights() throws Exception {
    assertThat(migrate()).as("the first migration").isZero();
    assertThat(appliedMigrations()).containsExactly("1");
    assertThat(tableOwner("tasks")).isEqualTo(migrator);
    assertThat(migrate()).as("a second run, nothing pending").isZero();
    assertThat(appliedMigrations()).containsExactly("1");

    try (ServiceProcess service = ServiceProcess.start(serviceEnvironment(false))) {
      service.awaitReady(Duration.ofSeconds(60));
      long id = service.client().create("written by the service's own user");
      assertThat(ServiceClient.json(service.client().get("/tasks/" + id)).get("title").asString())
          .isEqualTo("written by the service's own user");
    }

    // The same user with migrations on: Flyway cannot even create its history table elsewhere, and
    // the service must not start half-migrated.
    execute(database, "drop table flyway_schema_history");
    try (ServiceProcess service = ServiceProcess.start(serviceEnvironment(true))) {
      assertThat(service.awaitExit(EXIT)).as(service.output()).isNotZero();
    }
  }

  private int migrate() throws Exception {
    Map<String, String> environment = new HashMap<>(connection(migrator));
    environment.put("SPRING_FLYWAY_ENABLED", "false"); // the Job's envFrom: the service's ConfigMap
    try (JavaProcess job =
        JavaProcess.startJar(
            ServiceProcess.jar(),
            environment,
            List.of(),
            List.of(ExampleServiceApplication.MIGRATE))) {
      int status = job.waitFor(EXIT);
      assertThat(job.isAlive()).as("the migration exits by itself").isFalse();
      if (status != 0) {
        System.err.println(String.join("\n", job.stdout()) + String.join("\n", job.stderr()));
      }
      return status;
    }
  }

  private Map<String, String> serviceEnvironment(boolean migrations) {
    Map<String, String> environment = new HashMap<>(connection(app));
    environment.put("SPRING_FLYWAY_ENABLED", Boolean.toString(migrations));
    environment.put("OPS_SHUTDOWN_DRAIN_DELAY", "0s");
    return environment;
  }

  private Map<String, String> connection(String user) {
    return Map.of(
        "DATABASE_URL", POSTGRES + database, "DATABASE_USERNAME", user, "DATABASE_PASSWORD", "");
  }

  private List<String> appliedMigrations() throws SQLException {
    return strings(
        "select version from flyway_schema_history where success order by installed_rank");
  }

  private String tableOwner(String table) throws SQLException {
    return strings("select tableowner from pg_tables where tablename = '" + table + "'").get(0);
  }

  private List<String> strings(String query) throws SQLException {
    try (Connection connection = DriverManager.getConnection(POSTGRES + database, "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      List<String> values = new java.util.ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }

  private static void execute(String database, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(POSTGRES + database, "postgres", "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
