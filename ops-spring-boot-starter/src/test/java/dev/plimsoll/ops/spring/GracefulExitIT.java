package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.spring.testapp.ExitingApplication;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exit statuses of a real Spring Boot process with the starter. */
class GracefulExitIT {

  private final List<JavaProcess> started = new ArrayList<>();

  @AfterEach
  void kill() {
    started.forEach(JavaProcess::close);
  }

  private JavaProcess start(String... args) throws Exception {
    List<String> arguments =
        new ArrayList<>(List.of("--server.port=0", "--ops.shutdown.drain-delay=0s"));
    arguments.addAll(List.of(args));
    JavaProcess process = JavaProcess.startMain(ExitingApplication.class, Map.of(), arguments);
    started.add(process);
    awaitStarted(process, "the child to be ready", () -> process.stderr().contains("READY"));
    return process;
  }

  /**
   * Waits for a child's start: two minutes, as a Spring Boot child on a CI machine busy with other
   * builds took 50 s and more; a child that does not start says what it printed.
   */
  private static void awaitStarted(JavaProcess process, String what, BooleanSupplier started) {
    try {
      Await.until(what, Duration.ofMinutes(2), () -> started.getAsBoolean() || !process.isAlive());
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; the child "
              + (process.isAlive() ? "is still running" : "has exited")
              + "; its last lines:\n"
              + String.join("\n", tail(process.stdout()))
              + "\n"
              + String.join("\n", tail(process.stderr())),
          e);
    }
  }

  private static List<String> tail(List<String> lines) {
    return lines.subList(Math.max(0, lines.size() - 20), lines.size());
  }

  @Test
  void aCleanSigtermExitsWithZero() throws Exception {
    JavaProcess process = start();
    process.sigterm();
    assertThat(process.waitFor(Duration.ofSeconds(30))).isZero();
  }

  @Test
  void aSigtermRightAfterStartedExitsWithZero() throws Exception {
    // Spring Boot logs "Started" before ApplicationReadyEvent: the SIGTERM watch is on by then.
    JavaProcess process =
        JavaProcess.startMain(
            ExitingApplication.class,
            Map.of(),
            List.of("--server.port=0", "--ops.shutdown.drain-delay=0s"));
    started.add(process);
    awaitStarted(
        process,
        "Spring Boot's Started line",
        () -> process.stdout().stream().anyMatch(line -> line.contains("\"message\":\"Started ")));
    process.sigterm();
    assertThat(process.waitFor(Duration.ofSeconds(30))).isZero();
  }

  @Test
  void anotherShutdownHookFinishesBeforeTheExit() throws Exception {
    // Such as an OpenTelemetry agent exporting its last spans: halting with 0 must not cut it
    // short.
    JavaProcess process = start("--slow-hook=3000");
    process.sigterm();
    assertThat(process.waitFor(Duration.ofSeconds(30))).isZero();
    assertThat(process.stderr()).contains("SLOW HOOK DONE");
  }

  @Test
  void withExitZeroOffASigtermExitsWith143() throws Exception {
    JavaProcess process = start("--ops.shutdown.exit-zero=false");
    process.sigterm();
    assertThat(process.waitFor(Duration.ofSeconds(30))).isEqualTo(143);
  }

  @Test
  void anApplicationsOwnExitStatusIsKept() throws Exception {
    assertThat(start("--exit-with=3").waitFor(Duration.ofSeconds(30))).isEqualTo(3);
  }
}
