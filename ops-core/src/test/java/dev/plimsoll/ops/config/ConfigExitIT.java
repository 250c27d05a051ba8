package dev.plimsoll.ops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Starts {@link ConfigExitMain} in a real JVM and watches it refuse to start. */
class ConfigExitIT {

  // Recognisable, and long enough that any leak of four characters or more would be caught.
  static final String API_KEY = "Sesame-7f3Qx";
  static final String SESSION_SECRET = "Tr0ub4dor&3-Horse-Battery";

  @TempDir Path dir;

  record Run(int exitCode, String stdout, String stderr) {}

  Run run(Map<String, String> environment) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            ConfigExitMain.class.getName());
    // Only what the test sets: nothing inherited may add or hide a problem.
    builder
        .environment()
        .keySet()
        .removeIf(
            name -> {
              String upper = name.toUpperCase(Locale.ROOT);
              return upper.startsWith("APP_")
                  || upper.startsWith("OPS_")
                  || upper.startsWith("OTEL_")
                  || upper.equals("JAVA_TOOL_OPTIONS")
                  || upper.equals("JDK_JAVA_OPTIONS");
            });
    builder.environment().putAll(environment);
    File out = dir.resolve("stdout.txt").toFile();
    File err = dir.resolve("stderr.txt").toFile();
    Process process = builder.redirectOutput(out).redirectError(err).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child JVM did not finish within 60s");
    }
    return new Run(
        process.exitValue(),
        Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  @Test
  void badSettingsStopTheProcessWithExConfigBeforeServing() throws Exception {
    Run run =
        run(
            Map.of(
                "OPS_ENVIRONMENT", "production",
                "APP_DATABASE_URL", "postgres://db:5432/app",
                "APP_API_KEY", API_KEY,
                "APP_SESSION_SECRET", SESSION_SECRET,
                "APP_PORT", "http",
                "APP_DEBUG", "true",
                "APP_CORS_ALLOWED_ORIGINS", "https://shop.example.com,*",
                "APP_TIMEOUT", "forever",
                "OPS_METRICS_MAX_ROUTES", "0",
                "OPS_LOG_LEVEL", "debug"));

    assertThat(run.exitCode()).isEqualTo(78).isEqualTo(ConfigSchema.EXIT_CONFIG);
    assertThat(run.stdout()).doesNotContain(ConfigExitMain.SERVING);
    List<String> problems = run.stderr().lines().filter(l -> l.startsWith("  - ")).toList();
    List<String> bad =
        List.of(
            "APP_DATABASE_URL",
            "APP_API_KEY",
            "APP_PORT",
            "APP_DEBUG",
            "APP_CORS_ALLOWED_ORIGINS",
            "APP_TIMEOUT",
            "APP_REGION",
            "OPS_METRICS_MAX_ROUTES",
            "OPS_LOG_LEVEL");
    assertThat(problems).hasSize(bad.size());
    for (int i = 0; i < bad.size(); i++) {
      assertThat(problems.get(i)).contains("(" + bad.get(i) + ")");
    }
    assertThat(run.stderr())
        .startsWith("Invalid configuration, 9 problems:")
        .doesNotContain("APP_SESSION_SECRET")
        .doesNotContain("Exception");
    for (String secret : List.of(API_KEY, SESSION_SECRET)) {
      for (int length = 4; length <= secret.length(); length++) {
        for (int start = 0; start + length <= secret.length(); start++) {
          String piece = secret.substring(start, start + length);
          assertThat(run.stderr()).doesNotContain(piece);
          assertThat(run.stdout()).doesNotContain(piece);
        }
      }
    }
  }

  /**
   * {@code console} is a value the OpenTelemetry Java agent accepts and teams set while debugging;
   * Plimsoll's own SDK has no console exporter unless {@code opentelemetry-exporter-logging} is on
   * the class path. Either value is one line of the report, never the SDK's exception.
   */
  @ParameterizedTest
  @ValueSource(strings = {"console", "carrier-pigeon"})
  void anOtelValuePlimsollsSdkCannotHonourStopsTheProcessWithOneReport(String exporter)
      throws Exception {
    Run run =
        run(
            Map.of(
                "APP_DATABASE_URL", "jdbc:postgresql://db:5432/app",
                "APP_API_KEY", "k8Jq2vXw9TzL4mNp7RsB",
                "APP_REGION", "eu-west-1",
                "OTEL_TRACES_EXPORTER", exporter));

    assertThat(run.exitCode()).isEqualTo(ConfigSchema.EXIT_CONFIG);
    assertThat(run.stdout()).doesNotContain(ConfigExitMain.SERVING);
    assertThat(run.stderr())
        .startsWith("Invalid configuration, 1 problem:")
        .contains(
            "otel.traces.exporter (OTEL_TRACES_EXPORTER): not supported: '" + exporter + "'",
            "expected a comma-separated list of none, otlp")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void goodSettingsLetTheProcessServe() throws Exception {
    Run run =
        run(
            Map.of(
                "OPS_ENVIRONMENT", "production",
                "APP_DATABASE_URL", "jdbc:postgresql://db:5432/app",
                "APP_API_KEY", "k8Jq2vXw9TzL4mNp7RsB",
                "APP_PORT", "9090",
                "APP_REGION", "eu-west-1"));

    assertThat(run.stderr()).isEmpty();
    assertThat(run.stdout()).contains(ConfigExitMain.SERVING + "9090");
    assertThat(run.exitCode()).isZero();
  }
}
