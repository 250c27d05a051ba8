package dev.plimsoll.ops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.config.internal.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsSettingsTest {

  @Test
  void defaultsNeedNoSettingAtAll() {
    OpsSettings settings = OpsSettings.defaults();
    assertThat(settings.serviceName()).isEqualTo(OpsSettings.UNKNOWN_SERVICE);
    assertThat(settings.environment()).isEqualTo("development");
    assertThat(settings.logFormat()).isEqualTo("json");
    assertThat(settings.traceIdField()).isEqualTo("trace_id");
    assertThat(settings.requestIdHeader()).isEqualTo("X-Request-ID");
    assertThat(settings.maxRoutes()).isEqualTo(512);
    assertThat(settings.sloLatencies()).containsExactly(Duration.ofMillis(500));
    assertThat(settings.accessLogExcludePaths()).containsExactly("/health", "/metrics");
    assertThat(settings.trustedProxies()).isEmpty();
    assertThat(settings.accessLogSampleRate()).isEqualTo(1.0);
  }

  @Test
  void theAccessLogSampleRateIsARatioAboveZeroAndAtMostOne() {
    assertThat(
            OpsSettings.from(ConfigSource.of(Map.of("ops.access-log.sample-rate", " 0.01 ")))
                .accessLogSampleRate())
        .isEqualTo(0.01);
    assertThat(
            OpsSettings.from(ConfigSource.of(Map.of("ops.access-log.sample-rate", "1")))
                .accessLogSampleRate())
        .isEqualTo(1.0);
    assertThat(
            OpsSettings.from(ConfigSource.of(Map.of("ops.access-log.sample-rate", ".5")))
                .accessLogSampleRate())
        .isEqualTo(0.5);
    Map<String, String> refused =
        Map.of(
            "0", "out of range",
            "0.0", "out of range",
            "-0.1", "not a decimal number",
            "1.01", "out of range",
            "2", "out of range",
            "10%", "not a decimal number",
            "1e-2", "not a decimal number",
            "NaN", "not a decimal number",
            "often", "not a decimal number");
    refused.forEach(
        (value, why) ->
            assertThatThrownBy(
                    () ->
                        OpsSettings.from(
                            ConfigSource.of(Map.of("ops.access-log.sample-rate", value))))
                .as(value)
                .isInstanceOfSatisfying(
                    ConfigException.class,
                    e -> {
                      assertThat(e.problems())
                          .singleElement()
                          .satisfies(
                              p -> {
                                assertThat(p.key()).isEqualTo("ops.access-log.sample-rate");
                                assertThat(p.problem()).startsWith(why);
                              });
                      assertThat(e.getMessage())
                          .contains("OPS_ACCESS_LOG_SAMPLE_RATE")
                          .contains("a decimal number greater than 0 and at most 1");
                    }));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigSource source =
        ConfigSource.of(
            Map.of(
                "ops.metrics.max-routes", "lots",
                "ops.access-log.enabled", "yes",
                "ops.access-log.sample-rate", "0",
                "ops.metrics.slo-latencies", "500ms,fast",
                "ops.http.trusted-proxies", "10.0.0.0/8,proxy.internal",
                "ops.log.format", "xml",
                "ops.log.trace-id-field", "id",
                "ops.log.span-id-field", "id"));
    assertThatThrownBy(() -> OpsSettings.from(source))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(ConfigProblem::key)
                  .containsExactlyInAnyOrder(
                      "ops.metrics.max-routes",
                      "ops.access-log.enabled",
                      "ops.access-log.sample-rate",
                      "ops.metrics.slo-latencies",
                      "ops.http.trusted-proxies",
                      "ops.log.format",
                      "ops.log.span-id-field");
              assertThat(e.getMessage())
                  .contains("7 problems")
                  .contains("OPS_METRICS_MAX_ROUTES")
                  .contains("a whole number from 1 to 100000")
                  .contains("one of json, text");
            });
  }

  @Test
  void validateReturnsProblemsWithoutThrowing() {
    assertThat(OpsSettings.validate(ConfigSource.of(Map.of("ops.metrics.max-routes", "0"))))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).isEqualTo("out of range: '0'"));
    assertThat(OpsSettings.validate(ConfigSource.of(Map.of()))).isEmpty();
  }

  @Test
  void aDeveloperWhoSaysSoWaitsNoDrainDelay() {
    // Outside Kubernetes, as on a developer's machine and in this build.
    assertThat(System.getenv("KUBERNETES_SERVICE_HOST")).isNull();
    assertThat(
            OpsSettings.from(ConfigSource.of(Map.of("ops.environment", "development")))
                .drainDelay())
        .isZero();
    assertThat(OpsSettings.defaults().drainDelay()).hasSeconds(5); // the implicit environment
    assertThat(
            OpsSettings.from(
                    ConfigSource.of(
                        Map.of("ops.environment", "development", "ops.shutdown.drain-delay", "2s")))
                .drainDelay())
        .hasSeconds(2);
    assertThat(OpsSettings.from(ConfigSource.of(Map.of("ops.environment", "staging"))).drainDelay())
        .hasSeconds(5);
  }

  @Test
  void theManagementPortIsUnsetByDefaultAndMustBeAPort() {
    assertThat(OpsSettings.defaults().managementPort()).isNull();
    assertThat(
            OpsSettings.from(ConfigSource.of(Map.of("ops.management.port", "9090")))
                .managementPort())
        .isEqualTo(9090);
    for (String wrong : List.of("0", "65536", "-1", "http")) {
      assertThat(OpsSettings.validate(ConfigSource.of(Map.of("ops.management.port", wrong))))
          .as("ops.management.port=%s", wrong)
          .singleElement()
          .satisfies(p -> assertThat(p.key()).isEqualTo("ops.management.port"));
    }
  }

  @Test
  void aSecretsValueNeverAppearsInTheReport() {
    Setting<Integer> secret = Setting.integer("ops.test.token", 1, 1, 10).secret();
    SettingsReader reader =
        new SettingsReader(ConfigSource.of(Map.of("ops.test.token", "s3cr3t-value")));
    reader.get(secret);
    assertThatThrownBy(reader::requireValid)
        .hasMessageContaining("ops.test.token")
        .hasMessageContaining("value hidden")
        .hasMessageNotContaining("s3cr3t-value");
  }

  @Test
  void controlCharactersInAReportedValueAreEscaped() {
    List<ConfigProblem> problems =
        OpsSettings.validate(ConfigSource.of(Map.of("ops.metrics.max-routes", "1\n2")));
    assertThat(problems.get(0).toString()).doesNotContain("\n").contains("\\u000a");
  }

  @Test
  void serviceNameFallsBackToOtelServiceName() {
    assertThat(
            OpsSettings.from(ConfigSource.of(Map.of("otel.service.name", "orders"))).serviceName())
        .isEqualTo("orders");
    assertThat(
            OpsSettings.from(
                    ConfigSource.of(
                        Map.of("otel.service.name", "orders", "ops.service.name", "billing")))
                .serviceName())
        .isEqualTo("billing");
  }

  @Test
  void environmentNamesAreDerivedFromKeys() {
    assertThat(OpsSettings.METRICS_MAX_ROUTES.environmentName())
        .isEqualTo("OPS_METRICS_MAX_ROUTES");
    assertThat(ConfigSource.environmentName("ops.log.trace-id-field"))
        .isEqualTo("OPS_LOG_TRACE_ID_FIELD");
  }

  @Test
  void otelPropertiesArePassedThrough() {
    OpsSettings settings =
        OpsSettings.from(
            ConfigSource.of(
                Map.of("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318", "other", "x")));
    assertThat(settings.otelProperties())
        .containsExactly(Map.entry("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318"));
  }

  @Test
  void durationsAcceptCommonForms() {
    assertThat(Setting.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Setting.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Setting.parseDuration("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Setting.parseDuration("0")).isEqualTo(Duration.ZERO);
    assertThat(Setting.parseDuration("PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Setting.parseDuration("3m")).isEqualTo(Duration.ofMinutes(3));
    assertThatThrownBy(() -> Setting.parseDuration("soon"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Setting.parseDuration("5 parsecs"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
