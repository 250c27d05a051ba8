package dev.plimsoll.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.plimsoll.ops.logging.internal.BatchingConsoleOutput;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs {@link BatchedOutputMain} in a real JVM, its standard output a pipe (as container runtimes
 * give) and then a regular file: the JSON lines written in batches and the lines another thread
 * prints meanwhile (until the last event is written) are all there, each whole, each writer's in
 * its order, although the child stops its logger context right after logging.
 */
class BatchedOutputIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EVENTS = 20_000;
  private static final int PRINTED = 2_000;

  @TempDir Path dir;

  @Test
  void linesWrittenToAPipeAreWholeInOrderAndAllThereWithAConcurrentPrinter() throws Exception {
    Process process = child().start();
    // Read both streams while it runs: a full pipe would stop the child.
    CompletableFuture<String> stdout = readAll(process.getInputStream());
    CompletableFuture<String> stderr = readAll(process.getErrorStream());
    awaitExit(process);

    String report = stderr.get(60, TimeUnit.SECONDS);
    assertThat(report).contains("chunk=" + BatchingConsoleOutput.PIPE_CHUNK + " dropped=0");
    assertWholeAndInOrder(stdout.get(60, TimeUnit.SECONDS).lines().toList(), printed(report));
  }

  @Test
  void linesWrittenToARegularFileAreWholeInOrderAndAllThereWithAConcurrentPrinter()
      throws Exception {
    File out = dir.resolve("stdout.log").toFile();
    File err = dir.resolve("stderr.log").toFile();
    awaitExit(child().redirectOutput(out).redirectError(err).start());

    String report = Files.readString(err.toPath(), StandardCharsets.UTF_8);
    assertThat(report).contains("chunk=" + BatchingConsoleOutput.FILE_CHUNK + " dropped=0");
    assertWholeAndInOrder(
        Files.readAllLines(out.toPath(), StandardCharsets.UTF_8), printed(report));
  }

  /** How many lines the child says it printed. */
  private static int printed(String report) {
    Matcher matcher = Pattern.compile("printed=(\\d+)").matcher(report);
    assertThat(matcher.find()).as("the child's report: %s", report).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  private static ProcessBuilder child() {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            BatchedOutputMain.class.getName(),
            Integer.toString(EVENTS),
            Integer.toString(PRINTED));
    builder.environment().keySet().removeIf(name -> name.startsWith("OPS_"));
    return builder;
  }

  private static void awaitExit(Process process) throws InterruptedException {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("the child JVM did not finish within 120 s");
    }
    assertThat(process.exitValue()).isZero();
  }

  private static CompletableFuture<String> readAll(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * Every line is either exactly one printed line or one JSON event with Plimsoll's fields; the
   * events are all there in the order logged, and so are the printed lines.
   */
  @SuppressWarnings("unchecked")
  private static void assertWholeAndInOrder(List<String> lines, int printed) {
    int nextEvent = 0;
    int nextPrinted = 0;
    for (String line : lines) {
      if (line.startsWith("plain line ")) {
        assertThat(line)
            .as("printed line %d", nextPrinted)
            .isEqualTo(BatchedOutputMain.printed(nextPrinted));
        nextPrinted++;
        continue;
      }
      assertThat(line)
          .as("a line that is neither printed nor logged whole")
          .startsWith("{")
          .endsWith("}");
      Map<String, Object> event = JSON.readValue(line, Map.class);
      assertThat(event)
          .as("event %d", nextEvent)
          .containsEntry(LogFields.MESSAGE, BatchedOutputMain.message(nextEvent))
          .containsEntry(LogFields.LEVEL, "INFO")
          .containsEntry(LogFields.LOGGER, BatchedOutputMain.LOGGER)
          .containsEntry(LogFields.SERVICE_NAME, BatchedOutputMain.SERVICE)
          .containsKey(LogFields.TIMESTAMP);
      nextEvent++;
    }
    assertThat(nextEvent).as("events written").isEqualTo(EVENTS);
    assertThat(printed).as("lines the child printed").isGreaterThanOrEqualTo(PRINTED);
    assertThat(nextPrinted).as("printed lines found").isEqualTo(printed);
  }
}
