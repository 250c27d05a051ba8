package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.spring.testapp.ExitingApplication;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exit statuses of a real Spring Boot process with the starter. */
class GracefulExitIT {

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void kill() {
    started.forEach(Process::destroyForcibly);
  }

  private Process start(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ExitingApplication.class.getName());
    command.add("--server.port=0");
    command.add("--ops.shutdown.drain-delay=0s");
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    started.add(process);
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = err.readLine()) != null && !line.equals("READY")) {
      // wait for the application to be ready
    }
    assertThat(line).as("the child became ready").isEqualTo("READY");
    return process;
  }

  private static int sigterm(Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
    assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
    return process.exitValue();
  }

  @Test
  void aCleanSigtermExitsWithZero() throws Exception {
    assertThat(sigterm(start())).isZero();
  }

  @Test
  void withExitZeroOffASigtermExitsWith143() throws Exception {
    assertThat(sigterm(start("--ops.shutdown.exit-zero=false"))).isEqualTo(143);
  }

  @Test
  void anApplicationsOwnExitStatusIsKept() throws Exception {
    Process process = start("--exit-with=3");
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(3);
  }
}
