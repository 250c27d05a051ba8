package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.ConfigSchema;
import dev.plimsoll.ops.spring.testapp.ExitingApplication;
import dev.plimsoll.ops.testsupport.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot application with the starter and a bad setting, in a real JVM: the report once, on
 * standard error, readable in a terminal, and the documented exit status.
 */
class ConfigReportIT {

  @Test
  void aBadSettingIsReportedOnceOnStandardErrorAndExitsWithExConfig() throws Exception {
    try (JavaProcess app =
        JavaProcess.startMain(
            ExitingApplication.class,
            Map.of("OPS_METRICS_MAX_ROUTES", "0"),
            List.of("--server.port=0", "--ops.shutdown.drain-delay=banana"))) {
      assertThat(app.waitFor(Duration.ofSeconds(60))).isEqualTo(ConfigSchema.EXIT_CONFIG);
      List<String> stderr = app.stderr();
      List<String> all = new ArrayList<>(app.stdout());
      all.addAll(stderr);
      assertThat(stderr)
          .as("the report, one line per problem, on standard error: %s", all)
          .contains("Invalid configuration, 2 problems:")
          .anyMatch(l -> l.startsWith("  - ops.metrics.max-routes (OPS_METRICS_MAX_ROUTES): "))
          .anyMatch(l -> l.startsWith("  - ops.shutdown.drain-delay (OPS_SHUTDOWN_DRAIN_DELAY): "));
      assertThat(all.stream().filter(line -> line.contains("ops.shutdown.drain-delay (")))
          .as("each problem once: %s", all)
          .hasSize(1);
      assertThat(all)
          .as("no stack trace, no escaped report, no logback status: %s", all)
          .noneMatch(line -> line.startsWith("\tat ") || line.contains("\\n  - "))
          .noneMatch(line -> line.contains("|-INFO") || line.contains("|-WARN"));
    }
  }
}
