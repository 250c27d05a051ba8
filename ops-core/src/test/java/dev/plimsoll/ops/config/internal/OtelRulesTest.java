package dev.plimsoll.ops.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.ConfigSchema;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.tracing.Tracing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelRulesTest {

  private static List<ConfigProblem> check(Map<String, String> values) {
    return OpsSettings.validateOpenTelemetry(ConfigSource.of(values));
  }

  @Test
  void aConsoleExporterWithoutTheLoggingExporterIsOneProblemSayingWhatIsSupported() {
    assertThat(check(Map.of("otel.traces.exporter", "console")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.environmentName()).isEqualTo("OTEL_TRACES_EXPORTER");
              assertThat(p.problem()).isEqualTo("not supported: 'console'");
              assertThat(p.expected())
                  .startsWith("a comma-separated list of none, otlp")
                  .contains("opentelemetry-exporter-logging");
            });
  }

  @Test
  void everyUnsupportedNameInAListIsNamed() {
    assertThat(check(Map.of("otel.traces.exporter", "otlp,logging,jaegr")))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).isEqualTo("not supported: 'logging, jaegr'"));
  }

  @Test
  void noneTogetherWithAnExporterIsAProblem() {
    assertThat(check(Map.of("otel.traces.exporter", "otlp, none")))
        .singleElement()
        .satisfies(p -> assertThat(p.problem()).isEqualTo("none together with other names"));
  }

  @Test
  void valuesTheSdkHonoursAreNoProblem() {
    assertThat(
            check(
                Map.ofEntries(
                    Map.entry("otel.traces.exporter", "otlp"),
                    Map.entry("otel.metrics.exporter", "none"),
                    Map.entry("otel.logs.exporter", "otlp"),
                    Map.entry("otel.propagators", "tracecontext,baggage"),
                    Map.entry("otel.traces.sampler", "parentbased_traceidratio"),
                    Map.entry("otel.traces.sampler.arg", "0.25"),
                    Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
                    Map.entry("otel.exporter.otlp.endpoint", "http://collector:4318"),
                    Map.entry("otel.exporter.otlp.timeout", "10s"),
                    Map.entry("otel.exporter.otlp.headers", "api-key=abc,tenant=x"),
                    Map.entry("otel.bsp.schedule.delay", "500"),
                    Map.entry("otel.bsp.max.queue.size", "4096"),
                    Map.entry("otel.sdk.disabled", "false"))))
        .isEmpty();
  }

  @Test
  void eachBadValueIsItsOwnLineAndAHeaderValueIsNeverShown() {
    List<ConfigProblem> problems =
        check(
            Map.ofEntries(
                Map.entry("otel.traces.sampler", "always-on"),
                Map.entry("otel.exporter.otlp.protocol", "grpc"),
                Map.entry("otel.exporter.otlp.traces.endpoint", "collector:4318"),
                Map.entry("otel.exporter.otlp.headers", "Authorization Bearer Sesame-7f3Qx"),
                Map.entry("otel.bsp.export.timeout", "forever"),
                Map.entry("otel.bsp.max.export.batch.size", "0"),
                Map.entry("otel.propagators", "w3c")));
    assertThat(problems)
        .extracting(ConfigProblem::environmentName)
        .containsExactlyInAnyOrder(
            "OTEL_TRACES_SAMPLER",
            "OTEL_EXPORTER_OTLP_PROTOCOL",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "OTEL_EXPORTER_OTLP_HEADERS",
            "OTEL_BSP_EXPORT_TIMEOUT",
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
            "OTEL_PROPAGATORS");
    assertThat(problems.toString()).doesNotContain("Sesame").doesNotContain("Bearer");
  }

  @Test
  void aRatioOutsideZeroToOneIsAProblemForARatioSamplerOnly() {
    assertThat(check(Map.of("otel.traces.sampler", "traceidratio", "otel.traces.sampler.arg", "2")))
        .singleElement()
        .satisfies(p -> assertThat(p.key()).isEqualTo("otel.traces.sampler.arg"));
    assertThat(check(Map.of("otel.traces.sampler", "always_on", "otel.traces.sampler.arg", "2")))
        .isEmpty();
  }

  @Test
  void plimsollsOwnSdkRefusesAnUnsupportedValueWithTheReportNotTheSdksException() {
    assertThatThrownBy(
            () -> Tracing.create("svc", "1", "test", Map.of("otel.traces.exporter", "console")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid configuration, 1 problem:")
        .hasMessageContaining("otel.traces.exporter (OTEL_TRACES_EXPORTER): not supported");
  }

  @Test
  void plimsollCreateReportsBadOpsAndOtelValuesFromTheEnvironmentInOneReport() {
    System.setProperty("otel.traces.exporter", "logging");
    System.setProperty("ops.metrics.max-routes", "0");
    try {
      assertThatThrownBy(Plimsoll::create)
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(ConfigProblem::environmentName)
                      .containsExactly("OPS_METRICS_MAX_ROUTES", "OTEL_TRACES_EXPORTER"));
    } finally {
      System.clearProperty("otel.traces.exporter");
      System.clearProperty("ops.metrics.max-routes");
    }
  }

  @Test
  void aSchemaThatIncludesPlimsollsSettingsReportsOtelProblemsInTheSameReport() {
    ConfigSchema schema = ConfigSchema.builder().includeOpsSettings().build();
    assertThat(
            schema.validate(
                ConfigSource.of(
                    Map.of("otel.traces.exporter", "zipkn", "ops.metrics.max-routes", "0"))))
        .extracting(ConfigProblem::key)
        .containsExactly("ops.metrics.max-routes", "otel.traces.exporter");
  }
}
