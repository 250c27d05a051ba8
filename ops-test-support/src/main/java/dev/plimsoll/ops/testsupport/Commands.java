package dev.plimsoll.ops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a command line as a test step: its output, or a failure that names it and says why. */
public final class Commands {

  private Commands() {}

  /**
   * Runs {@code command} (standard error merged into standard output) and returns its output,
   * stripped.
   *
   * @throws AssertionError if it cannot start, runs past 30 seconds or exits with another status
   *     than 0
   */
  public static String run(String... command) {
    String shown = String.join(" ", command);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", shown).isTrue();
      assertThat(process.exitValue()).as("%s said: %s", shown, output).isZero();
      return output.strip();
    } catch (IOException e) {
      throw new AssertionError(shown + " could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while " + shown + " ran", e);
    }
  }
}
