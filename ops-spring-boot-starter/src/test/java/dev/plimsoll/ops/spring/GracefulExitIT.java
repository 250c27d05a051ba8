package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.spring.testapp.ExitingApplication;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    Await.until(
        "the child to be ready",
        Duration.ofSeconds(60),
        () -> process.stderr().contains("READY") || !process.isAlive());
    return process;
  }

  @Test
  void aCleanSigtermExitsWithZero() throws Exception {
    JavaProcess process = start();
    process.sigterm();
    assertThat(process.waitFor(Duration.ofSeconds(30))).isZero();
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
