package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release validation against the packaged service: {@code scripts/smoke-test.sh}, which
 * release-validation.yml runs after every sync, and the load check with the thresholds of {@code
 * release/thresholds.json}, which passes on a healthy service and fails when a demo fault knob
 * pushes the error ratio or the p95 latency past its threshold.
 */
class ReleaseValidationIT {

  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final Duration LOAD = Duration.ofSeconds(8);

  @Test
  void aHealthyReleasePassesTheSmokeTestAndTheLoadCheck(@TempDir Path work) throws Exception {
    try (ServiceProcess service = ServiceProcess.start(Map.of("OPS_SHUTDOWN_DRAIN_DELAY", "0s"))) {
      service.awaitReady(READY);
      Path log = work.resolve("service.log");

      Smoke smoke = smokeTest(service, log, "cat " + log, 20);
      assertThat(smoke.exitCode()).as(smoke.output()).isZero();
      assertThat(smoke.output()).contains("smoke test passed", "logged with a trace ID");

      // A smoke test that finds no log line must fail, or it checks nothing (its wait shortened:
      // the line never comes).
      Smoke noLogs = smokeTest(service, log, "true", 2);
      assertThat(noLogs.exitCode()).as(noLogs.output()).isNotZero();
      assertThat(noLogs.output()).contains("no log line with request ID");

      ReleaseLoadCheck.run(
          service.client(), WARM_UP); // the JIT's first minutes are not a release's
      ReleaseLoadCheck.Result result = ReleaseLoadCheck.run(service.client(), LOAD);
      System.out.println(result.report());
      assertThat(result.passed()).as(result.report()).isTrue();
    }
  }

  @Test
  void theLoadCheckFailsWhenErrorsPassTheirThreshold() throws Exception {
    // One request in ten fails: ten times the threshold's 1 %.
    ReleaseLoadCheck.Result result = loadWithDemoFaults(Map.of("TASKS_DEMO_ERROR_RATE", "0.1"));
    System.out.println(result.report());
    assertThat(result.errorsPassed()).as(result.report()).isFalse();
    assertThat(result.passed()).isFalse();
    assertThat(result.report()).contains("FAILED");
  }

  @Test
  void theLoadCheckFailsWhenLatencyPassesItsThreshold() throws Exception {
    ReleaseLoadCheck.Thresholds thresholds = ReleaseLoadCheck.Thresholds.read();
    // Every /tasks request waits longer than the p95 threshold.
    ReleaseLoadCheck.Result result =
        loadWithDemoFaults(Map.of("TASKS_DEMO_LATENCY", (thresholds.p95Millis() + 100) + "ms"));
    System.out.println(result.report());
    assertThat(result.latencyPassed()).as(result.report()).isFalse();
    assertThat(result.errorsPassed()).as(result.report()).isTrue();
    assertThat(result.passed()).isFalse();
  }

  private static ReleaseLoadCheck.Result loadWithDemoFaults(Map<String, String> knobs)
      throws InterruptedException {
    Map<String, String> environment = new HashMap<>(knobs);
    environment.put("TASKS_DEMO_ENABLED", "true");
    environment.put("OPS_SHUTDOWN_DRAIN_DELAY", "0s");
    try (ServiceProcess service = ServiceProcess.start(environment)) {
      service.awaitReady(READY);
      return ReleaseLoadCheck.run(service.client(), LOAD);
    }
  }

  private record Smoke(int exitCode, String output) {}

  /**
   * Runs the smoke test with {@code logsCommand} as SMOKE_LOGS, waiting up to {@code
   * logWaitSeconds} for the log line, while the service's output so far is copied to {@code log}
   * (what {@code kubectl logs} would print).
   */
  private static Smoke smokeTest(
      ServiceProcess service, Path log, String logsCommand, int logWaitSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(Path.of("../scripts/smoke-test.sh").toString(), service.client().base())
            .redirectErrorStream(true);
    builder.environment().put("SMOKE_LOGS", logsCommand);
    builder.environment().put("SMOKE_WAIT_SECONDS", "10");
    builder.environment().put("SMOKE_LOG_WAIT_SECONDS", Integer.toString(logWaitSeconds));
    Process smoke = builder.start();
    smoke.getOutputStream().close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!smoke.waitFor(200, TimeUnit.MILLISECONDS)) {
      Files.write(log, service.lines(), StandardCharsets.UTF_8);
      assertThat(System.nanoTime()).as("the smoke test ends within 2 minutes").isLessThan(deadline);
    }
    String output = new String(smoke.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Smoke(smoke.exitValue(), output);
  }
}
