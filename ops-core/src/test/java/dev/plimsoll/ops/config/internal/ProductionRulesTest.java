package dev.plimsoll.ops.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.ConfigSchema;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.ConfigValues;
import dev.plimsoll.ops.config.Setting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProductionRulesTest {

  static final Setting<String> API_KEY = Setting.string("app.api-key", null).secret();
  static final Setting<Boolean> DEBUG = Setting.debugSwitch("app.debug");
  static final Setting<List<String>> ORIGINS =
      Setting.corsOrigins("app.cors.allowed-origins", List.of());

  static final ConfigSchema SCHEMA = ConfigSchema.builder().add(API_KEY, DEBUG, ORIGINS).build();

  static final String REAL_SECRET = "k8Jq2vXw9TzL4mNp7RsB";

  static List<ConfigProblem> in(String environment, String... keysAndValues) {
    Map<String, String> values = new HashMap<>();
    values.put("ops.environment", environment);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return SCHEMA.validate(ConfigSource.of(values));
  }

  @Test
  void aGoodProductionConfigurationPasses() {
    assertThat(
            in(
                "production",
                "app.api-key",
                REAL_SECRET,
                "app.debug",
                "false",
                "app.cors.allowed-origins",
                "https://app.example.com,https://admin.example.com"))
        .isEmpty();
    assertThat(in("production")).as("nothing set: secret off, debug off, no origins").isEmpty();
  }

  @Test
  void anEmptySecretIsRefusedOnlyInProduction() {
    assertThat(in("production", "app.api-key", "   "))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("app.api-key");
              assertThat(p.problem()).contains("empty").contains("production");
              assertThat(p.expected()).contains("at least " + Setting.MIN_SECRET_LENGTH);
            });
    assertThat(in("development", "app.api-key", "   ")).isEmpty();
  }

  @Test
  void aShortSecretIsRefusedOnlyInProduction() {
    String fifteen = REAL_SECRET.substring(0, Setting.MIN_SECRET_LENGTH - 1);
    assertThat(in("production", "app.api-key", fifteen))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).contains("shorter than 16 characters"));
    assertThat(in("development", "app.api-key", fifteen)).isEmpty();
    assertThat(in("production", "app.api-key", REAL_SECRET.substring(0, 16))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "changeme",
        "CHANGEME",
        "Change-Me",
        "changeit",
        "secret",
        "password",
        "Passw0rd",
        "example",
        "placeholder",
        "default",
        "TODO",
        "xxx",
        "XXXXXXXXXXXXXXXXXXXXXXXX",
        "0000000000000000000000",
        "test",
        "admin",
        "123456",
        "letmein",
        "<your-api-key>",
        "${API_KEY}",
        "{{ api_key }}",
        "your-api-key-goes-here",
        "changeme-in-production-please",
        "replace_me_with_the_real_key",
        "password12345678901234"
      })
  void aPlaceholderSecretIsRefusedOnlyInProduction(String placeholder) {
    assertThat(in("production", "app.api-key", placeholder))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).contains("placeholder"));
    assertThat(in("development", "app.api-key", placeholder)).isEmpty();
  }

  @Test
  void aPlaceholderDefaultOfASecretIsRefusedInProduction() {
    Setting<String> token = Setting.string("app.token", "changeme").secret();
    ConfigSchema schema = ConfigSchema.builder().add(token).build();
    assertThat(schema.validate(ConfigSource.of(Map.of("ops.environment", "production"))))
        .extracting(ConfigProblem::key)
        .containsExactly("app.token");
    assertThat(schema.validate(ConfigSource.of(Map.of()))).isEmpty();
  }

  @Test
  void placeholderValuesOfOrdinarySettingsAreAllowed() {
    ConfigSchema schema = ConfigSchema.builder().add(Setting.string("app.greeting", null)).build();
    assertThat(
            schema.validate(
                ConfigSource.of(Map.of("ops.environment", "production", "app.greeting", "test"))))
        .isEmpty();
  }

  @Test
  void debugMustBeOffOnlyInProduction() {
    assertThat(in("production", "app.debug", "true"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("app.debug");
              assertThat(p.environmentName()).isEqualTo("APP_DEBUG");
              assertThat(p.problem()).isEqualTo("debug must be off in production");
              assertThat(p.expected()).isEqualTo("false in production");
            });
    assertThat(in("development", "app.debug", "true")).isEmpty();
    assertThat(in("production", "app.debug", "false")).isEmpty();
    assertThat(in("development", "app.debug", "on"))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).isEqualTo("not a boolean: 'on'"));
  }

  @Test
  void aWildcardCorsOriginIsRefusedOnlyInProduction() {
    assertThat(in("production", "app.cors.allowed-origins", "https://app.example.com, *"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("app.cors.allowed-origins");
              assertThat(p.problem()).contains("'*'").contains("production");
            });
    assertThat(in("development", "app.cors.allowed-origins", "*")).isEmpty();
    Setting<List<String>> anyByDefault = Setting.corsOrigins("app.origins", List.of("*"));
    assertThat(
            ConfigSchema.builder()
                .add(anyByDefault)
                .build()
                .validate(ConfigSource.of(Map.of("ops.environment", "production"))))
        .as("a wildcard default counts too")
        .extracting(ConfigProblem::key)
        .containsExactly("app.origins");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://app.example.com/",
        "https://app.example.com/path",
        "app.example.com",
        "ftp://app.example.com",
        "https://*.example.com",
        "https://user@app.example.com",
        "https://app.example.com:99999",
        "https://app.example.com?x=1",
        "null"
      })
  void aMalformedCorsOriginIsRefusedInEveryEnvironment(String origin) {
    for (String environment : List.of("development", "production")) {
      assertThat(in(environment, "app.cors.allowed-origins", "https://ok.example.com," + origin))
          .as(environment)
          .singleElement()
          .satisfies(p -> assertThat(p.problem()).startsWith("an origin"));
    }
  }

  @Test
  void corsOriginsAreNormalised() {
    ConfigValues values =
        SCHEMA.requireValid(
            ConfigSource.of(
                Map.of(
                    "app.cors.allowed-origins", "HTTPS://App.Example.com:8443, http://localhost")));
    assertThat(values.get(ORIGINS))
        .containsExactly("https://app.example.com:8443", "http://localhost");
  }

  @Test
  void productionIsRecognisedWhateverTheCaseButNotByAbbreviation() {
    for (String production : List.of("production", "Production", " PRODUCTION ")) {
      assertThat(in(production, "app.debug", "true")).as(production).hasSize(1);
      assertThat(
              SCHEMA
                  .requireValid(ConfigSource.of(Map.of("ops.environment", production)))
                  .isProduction())
          .isTrue();
    }
    for (String other : List.of("prod", "production-eu", "staging", "development")) {
      assertThat(in(other, "app.debug", "true")).as(other).isEmpty();
    }
  }

  @Test
  void plimsollsDebugLoggingRuleIsReportedWithTheApplicationsRules() {
    ConfigSchema schema = ConfigSchema.builder().add(DEBUG).includeOpsSettings().build();
    assertThat(
            schema.validate(
                ConfigSource.of(
                    Map.of(
                        "ops.environment", "Production",
                        "ops.log.level", "debug",
                        "app.debug", "true"))))
        .extracting(ConfigProblem::key)
        .containsExactly("app.debug", "ops.log.level");
    assertThat(
            schema.validate(
                ConfigSource.of(
                    Map.of(
                        "ops.environment", "staging",
                        "ops.log.level", "debug",
                        "app.debug", "true"))))
        .isEmpty();
  }
}
