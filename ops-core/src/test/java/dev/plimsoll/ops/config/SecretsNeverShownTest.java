package dev.plimsoll.ops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsNeverShownTest {

  // Chosen so that none of their 4-character pieces occurs in the report's own words.
  static final String TOKEN = "qZ7#vK2!mW9$pL4@xR";
  static final String SHORT = "Hq7$Zk2!";
  static final String PLACEHOLDER = "ChangeMe_Quickly";
  static final String DB_PASSWORD = "Pv8&Yt3^Ud6*Re1";

  static final Setting<String> API_TOKEN =
      Setting.matching("app.api-token", null, "[A-Za-z0-9]{32}", "32 letters or digits")
          .secret()
          .required();
  static final Setting<Integer> PIN = Setting.integer("app.pin", 1, 1000, 9999).secret();
  static final Setting<String> SIGNING_KEY = Setting.string("app.signing-key", null).secret();
  static final Setting<String> WEBHOOK_SECRET = Setting.string("app.webhook-secret", null).secret();
  static final Setting<String> DB_URL = Setting.jdbcUrl("app.database.url", null).secret();
  static final Setting<Integer> PORT = Setting.integer("app.port", 8080, 1, 65_535);

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .add(API_TOKEN, PIN, SIGNING_KEY, WEBHOOK_SECRET, DB_URL, PORT)
          .includeOpsSettings()
          .build();

  /** Neither the secret nor any piece of it of four characters or more is in {@code text}. */
  static void assertNoTraceOf(String secret, String text) {
    assertThat(text).isNotEmpty();
    for (int length = 4; length <= secret.length(); length++) {
      for (int start = 0; start + length <= secret.length(); start++) {
        assertThat(text).doesNotContain(secret.substring(start, start + length));
      }
    }
  }

  static Map<String, String> badProduction() {
    Map<String, String> values = new HashMap<>();
    values.put("ops.environment", "production");
    values.put("app.api-token", TOKEN); // fails its pattern
    values.put("app.pin", SHORT); // not a number
    values.put("app.signing-key", PLACEHOLDER); // a placeholder in production
    values.put("app.webhook-secret", SHORT); // too short in production
    values.put("app.database.url", "postgres://app:" + DB_PASSWORD + "@db/app"); // not JDBC
    values.put("app.port", "http"); // an ordinary problem, shown with its value
    values.put("ops.metrics.max-routes", "lots");
    return values;
  }

  @Test
  void noSecretValueIsInTheExceptionWhateverIsWrongWithIt() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> SCHEMA.requireValid(ConfigSource.of(badProduction())));
    assertThat(e.problems())
        .extracting(ConfigProblem::key)
        .containsExactly(
            "app.api-token",
            "app.pin",
            "app.signing-key",
            "app.webhook-secret",
            "app.database.url",
            "app.port",
            "ops.metrics.max-routes");
    String message = e.getMessage();
    assertThat(message).contains("not a whole number: 'http'").contains("value hidden");
    for (String secret : new String[] {TOKEN, SHORT, PLACEHOLDER, DB_PASSWORD}) {
      assertNoTraceOf(secret, message);
      assertNoTraceOf(secret, e.problems().toString());
    }
  }

  @Test
  void aSecretProblemDoesNotHintAtTheValue() {
    Map<String, String> eight =
        Map.of("ops.environment", "production", "app.webhook-secret", "a1b2c3d4");
    Map<String, String> twelve =
        Map.of("ops.environment", "production", "app.webhook-secret", "a1b2c3d4e5f6");
    ConfigSchema schema = ConfigSchema.builder().add(WEBHOOK_SECRET).build();
    ConfigProblem shorter = schema.validate(ConfigSource.of(eight)).get(0);
    ConfigProblem longer = schema.validate(ConfigSource.of(twelve)).get(0);
    assertThat(shorter).as("no length, no prefix: both reports read the same").isEqualTo(longer);
    assertThat(shorter.toString()).doesNotContain("8").doesNotContain("12");
  }

  @Test
  void validSecretsAreNotInTheReportOfOtherProblems() {
    Map<String, String> values = new HashMap<>();
    values.put("ops.environment", "production");
    values.put("app.api-token", "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4f");
    values.put("app.signing-key", TOKEN);
    values.put("app.database.url", "jdbc:postgresql://db/app?password=" + DB_PASSWORD);
    values.put("app.port", "0");
    String message =
        catchThrowableOfType(
                ConfigException.class, () -> SCHEMA.requireValid(ConfigSource.of(values)))
            .getMessage();
    assertThat(message).contains("1 problem:").contains("app.port");
    assertNoTraceOf("Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4f", message);
    assertNoTraceOf(TOKEN, message);
    assertNoTraceOf(DB_PASSWORD, message);
  }

  @Test
  void theExitReportOnStandardErrorHidesSecrets() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    catchThrowableOfType(
        ConfigException.class,
        () ->
            SCHEMA.requireValidOrExit(
                ConfigSource.of(badProduction()),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                status -> {}));
    String report = err.toString(StandardCharsets.UTF_8);
    assertThat(report).contains("7 problems");
    for (String secret : new String[] {TOKEN, SHORT, PLACEHOLDER, DB_PASSWORD}) {
      assertNoTraceOf(secret, report);
    }
  }

  @Test
  void loggingTheValuesMasksSecretsAndCredentials() {
    Setting<String> downstream = Setting.string("app.downstream", null);
    ConfigSchema schema = ConfigSchema.builder().add(SIGNING_KEY, downstream, PORT).build();
    ConfigValues values =
        schema.requireValid(
            ConfigSource.of(
                Map.of(
                    "app.signing-key",
                    TOKEN,
                    "app.downstream",
                    "https://svc:" + DB_PASSWORD + "@api.internal/")));
    assertThat(values.get(SIGNING_KEY)).isEqualTo(TOKEN);
    assertThat(values.toString())
        .isEqualTo(
            "ConfigValues{app.signing-key=******, app.downstream=https://******@api.internal/,"
                + " app.port=8080}");
    assertNoTraceOf(TOKEN, values.toString());
    assertNoTraceOf(DB_PASSWORD, values.toString());
  }
}
