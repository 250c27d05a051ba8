package dev.plimsoll.ops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

  enum Mode {
    READ_ONLY,
    READ_WRITE
  }

  static final Setting<String> NAME = Setting.string("app.name", "orders");
  static final Setting<Integer> PORT = Setting.integer("app.port", 8080, 1, 65_535);
  static final Setting<Boolean> CACHE = Setting.bool("app.cache.enabled", true);
  static final Setting<Duration> TIMEOUT =
      Setting.duration(
          "app.timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1));
  static final Setting<URI> DOWNSTREAM = Setting.url("app.downstream.url", null);
  static final Setting<String> DB_URL = Setting.jdbcUrl("app.database.url", null).required();
  static final Setting<Mode> MODE = Setting.enumOf("app.mode", Mode.class, Mode.READ_WRITE);
  static final Setting<List<Integer>> RETRY_CODES =
      Setting.list("app.retry-codes", List.of(503), "HTTP status codes", Integer::valueOf);

  static final ConfigSchema TYPES =
      ConfigSchema.builder()
          .add(NAME, PORT, CACHE, TIMEOUT, DOWNSTREAM, DB_URL, MODE, RETRY_CODES)
          .build();

  static final Map<String, String> VALID =
      Map.of(
          "app.name", "billing",
          "app.port", "9090",
          "app.cache.enabled", "FALSE",
          "app.timeout", "750ms",
          "app.downstream.url", "https://payments.internal:8443/v2",
          "app.database.url", "jdbc:postgresql://db:5432/billing",
          "app.mode", "read-only",
          "app.retry-codes", "502, 503,504");

  static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
    Map<String, String> copy = new HashMap<>(base);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      copy.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return copy;
  }

  @Test
  void everyTypeParsesAValidValue() {
    ConfigValues values = TYPES.requireValid(ConfigSource.of(VALID));
    assertThat(values.get(NAME)).isEqualTo("billing");
    assertThat(values.get(PORT)).isEqualTo(9090);
    assertThat(values.get(CACHE)).isFalse();
    assertThat(values.get(TIMEOUT)).isEqualTo(Duration.ofMillis(750));
    assertThat(values.get(DOWNSTREAM)).isEqualTo(URI.create("https://payments.internal:8443/v2"));
    assertThat(values.get(DB_URL)).isEqualTo("jdbc:postgresql://db:5432/billing");
    assertThat(values.get(MODE)).isEqualTo(Mode.READ_ONLY);
    assertThat(values.get(RETRY_CODES)).containsExactly(502, 503, 504);
  }

  @Test
  void unsetOptionalSettingsTakeTheirDefaults() {
    ConfigValues values =
        TYPES.requireValid(ConfigSource.of(Map.of("app.database.url", "jdbc:h2:mem:test")));
    assertThat(values.get(NAME)).isEqualTo("orders");
    assertThat(values.get(PORT)).isEqualTo(8080);
    assertThat(values.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(values.get(DOWNSTREAM)).isNull();
    assertThat(values.get(RETRY_CODES)).containsExactly(503);
  }

  @Test
  void everyTypeReportsAnInvalidValue() {
    Map<String, String> invalid =
        Map.of(
            "app.port", "70000",
            "app.cache.enabled", "yes",
            "app.timeout", "forever",
            "app.downstream.url", "ftp://files.internal",
            "app.database.url", "postgres://db/billing",
            "app.mode", "sideways",
            "app.retry-codes", "503,lots");
    for (Map.Entry<String, String> bad : invalid.entrySet()) {
      List<ConfigProblem> problems =
          TYPES.validate(ConfigSource.of(with(VALID, bad.getKey(), bad.getValue())));
      assertThat(problems)
          .as(bad.getKey())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.key()).isEqualTo(bad.getKey());
                assertThat(p.problem()).endsWith(": '" + bad.getValue() + "'");
              });
    }
    // Any text is a valid string, so only an empty required one is invalid.
    Setting<String> region = Setting.string("app.region", null).required();
    assertThat(
            ConfigSchema.builder()
                .add(region)
                .build()
                .validate(ConfigSource.of(Map.of("app.region", "  "))))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).startsWith("empty"));
    assertThat(TYPES.validate(ConfigSource.of(with(VALID, "app.timeout", "2m"))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.problem()).isEqualTo("out of range: '2m'");
              assertThat(p.expected()).contains("from 100ms to 1m");
            });
  }

  @Test
  void aRequiredSettingThatIsMissingOrBlankIsReported() {
    Map<String, String> without = new HashMap<>(VALID);
    without.remove("app.database.url");
    assertThat(TYPES.validate(ConfigSource.of(without)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("app.database.url");
              assertThat(p.environmentName()).isEqualTo("APP_DATABASE_URL");
              assertThat(p.problem()).isEqualTo("missing");
            });
    assertThat(TYPES.validate(ConfigSource.of(with(VALID, "app.database.url", " "))))
        .extracting(ConfigProblem::key)
        .containsExactly("app.database.url");
  }

  @Test
  void severalProblemsAreReportedInOneExceptionWithACount() {
    Map<String, String> bad =
        Map.of(
            "app.port", "0",
            "app.cache.enabled", "maybe",
            "app.timeout", "soon",
            "app.downstream.url", "not a url",
            "app.mode", "sideways",
            "app.retry-codes", "x");
    assertThatThrownBy(() -> TYPES.requireValid(ConfigSource.of(bad)))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(ConfigProblem::key)
                  .containsExactly(
                      "app.port",
                      "app.cache.enabled",
                      "app.timeout",
                      "app.downstream.url",
                      "app.database.url",
                      "app.mode",
                      "app.retry-codes");
              assertThat(e.getMessage())
                  .startsWith("Invalid configuration, 7 problems:")
                  .contains("APP_PORT")
                  .contains("a whole number from 1 to 65535")
                  .contains("app.database.url (APP_DATABASE_URL): missing")
                  .contains("one of read-only, read-write");
              assertThat(e.getMessage().lines().filter(l -> l.startsWith("  - "))).hasSize(7);
            });
  }

  static final Setting<Duration> DRAIN =
      Setting.duration("app.drain", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(1));
  static final Setting<Duration> BUDGET =
      Setting.duration(
          "app.budget", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5));

  static final ConfigSchema CROSS_FIELD =
      ConfigSchema.builder()
          .add(DRAIN, BUDGET)
          .rule(
              (values, problems) -> {
                Duration drain = values.get(DRAIN);
                Duration budget = values.get(BUDGET);
                if (drain != null && budget != null && drain.compareTo(budget) > 0) {
                  problems.add(BUDGET, "shorter than " + DRAIN.key());
                }
              })
          .build();

  @Test
  void aCrossFieldRuleReportsItsProblem() {
    assertThat(
            CROSS_FIELD.validate(ConfigSource.of(Map.of("app.drain", "30s", "app.budget", "20s"))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("app.budget");
              assertThat(p.problem()).isEqualTo("shorter than app.drain");
            });
    assertThat(
            CROSS_FIELD.validate(ConfigSource.of(Map.of("app.drain", "10s", "app.budget", "20s"))))
        .isEmpty();
  }

  @Test
  void aRuleIsSkippedWhenAValueItReadsIsInvalid() {
    // The invalid drain would fall back to its 5s default; comparing that would be a false report.
    assertThat(
            CROSS_FIELD.validate(
                ConfigSource.of(Map.of("app.drain", "eventually", "app.budget", "2s"))))
        .extracting(ConfigProblem::key)
        .containsExactly("app.drain");
  }

  static final Setting<String> API_KEY = Setting.string("app.api-key", null).secret().required();

  @Test
  void plimsollsOwnSettingsAreReportedWithTheApplications() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(PORT, API_KEY)
            .includeOpsSettings()
            .rule(
                (values, problems) -> {
                  if (values.get(PORT) == 9090 && values.opsSettings().maxRoutes() > 100) {
                    problems.add(PORT, "9090 serves at most 100 routes");
                  }
                })
            .build();
    assertThat(schema.settings()).hasSize(2 + OpsSettings.ALL.size() + OpsSettings.SWITCHES.size());
    assertThatThrownBy(
            () ->
                schema.requireValid(
                    ConfigSource.of(
                        Map.of(
                            "app.port", "-1",
                            "ops.metrics.max-routes", "lots",
                            "ops.shutdown.drain-delay", "1m",
                            "ops.shutdown.timeout", "1m"))))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(ConfigProblem::key)
                  .containsExactly(
                      "app.port", "app.api-key", "ops.metrics.max-routes", "ops.shutdown.budget");
              assertThat(e.getMessage())
                  .startsWith("Invalid configuration, 4 problems:")
                  .contains("OPS_METRICS_MAX_ROUTES")
                  .contains("APP_API_KEY");
            });
    ConfigValues values =
        schema.requireValid(
            ConfigSource.of(
                Map.of("app.api-key", "k", "app.port", "9090", "ops.metrics.max-routes", "50")));
    assertThat(values.opsSettings().maxRoutes()).isEqualTo(50);
    assertThat(values.get(OpsSettings.METRICS_MAX_ROUTES)).isEqualTo(50);
    assertThat(schema.validate(ConfigSource.of(Map.of("app.api-key", "k", "app.port", "9090"))))
        .extracting(ConfigProblem::problem)
        .containsExactly("9090 serves at most 100 routes");
  }

  @Test
  void withoutPlimsollsSettingsTheirProblemsAreNotReportedAndTheirValuesNotOffered() {
    ConfigValues values =
        ConfigSchema.builder()
            .add(PORT)
            .build()
            .requireValid(ConfigSource.of(Map.of("ops.metrics.max-routes", "lots")));
    assertThatThrownBy(values::opsSettings).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> values.get(OpsSettings.METRICS_MAX_ROUTES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ops.metrics.max-routes");
  }

  @Test
  void aKeyDeclaredTwiceIsRefusedAtOnce() {
    assertThatThrownBy(() -> ConfigSchema.builder().add(PORT, Setting.string("app.port", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("app.port");
    assertThatThrownBy(
            () ->
                ConfigSchema.builder()
                    .add(Setting.string("ops.environment", "dev"))
                    .includeOpsSettings()
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ops.environment");
  }

  @Test
  void valuesOfAnotherSettingWithTheSameKeyAreRefused() {
    ConfigValues values = TYPES.requireValid(ConfigSource.of(VALID));
    assertThatThrownBy(() -> values.get(Setting.string("app.port", null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requireValidOrExitPrintsOneReportAndExitsWithExConfig() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<Integer> exits = new ArrayList<>();
    assertThatThrownBy(
            () ->
                TYPES.requireValidOrExit(
                    ConfigSource.of(Map.of("app.port", "0", "app.mode", "sideways")),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    exits::add))
        .isInstanceOf(ConfigException.class);
    assertThat(exits).containsExactly(ConfigSchema.EXIT_CONFIG).containsExactly(78);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("Invalid configuration, 3 problems:")
        .contains("APP_PORT", "APP_DATABASE_URL", "APP_MODE")
        .contains("exit status 78");
  }

  @Test
  void requireValidOrExitReturnsTheValuesWithoutExitingWhenValid() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<Integer> exits = new ArrayList<>();
    ConfigValues values =
        TYPES.requireValidOrExit(
            ConfigSource.of(VALID), new PrintStream(err, true, StandardCharsets.UTF_8), exits::add);
    assertThat(values.get(PORT)).isEqualTo(9090);
    assertThat(exits).isEmpty();
    assertThat(err.size()).isZero();
  }
}
