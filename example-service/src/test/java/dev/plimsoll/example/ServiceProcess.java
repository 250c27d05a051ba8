package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The repackaged {@code target/example-service.jar} as its own process on a free loopback port: how
 * the service ships, with its standard output read as JSON lines.
 */
final class ServiceProcess implements AutoCloseable {

  /** The logger of the access log. */
  static final String ACCESS_LOGGER = "dev.plimsoll.ops.access";

  private final JavaProcess process;
  private final ServiceClient client;
  private final int port;

  private ServiceProcess(JavaProcess process, int port) {
    this.process = process;
    this.client = ServiceClient.onPort(port);
    this.port = port;
  }

  /** The port it serves on. */
  int port() {
    return port;
  }

  /** The jar the {@code package} phase built, which failsafe runs after. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("basedir", "."), "target", "example-service.jar");
    assertThat(jar).as("the repackaged jar, built in the package phase").isRegularFile();
    return jar;
  }

  /**
   * Starts the jar with {@code environment} added to this one's and {@code --server.port} set to a
   * free port, then {@code arguments}.
   */
  static ServiceProcess start(Map<String, String> environment, String... arguments) {
    int port = FreePorts.find();
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.addAll(List.of(arguments));
    try {
      return new ServiceProcess(JavaProcess.startJar(jar(), environment, List.of(), args), port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + jar(), e);
    }
  }

  ServiceClient client() {
    return client;
  }

  /** Waits until {@code /health/ready} answers 200, failing at once if the process exits. */
  void awaitReady(Duration timeout) {
    try {
      Await.until(
          "the service to be ready",
          timeout,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError("the service exited");
            }
            try {
              return client.get("/health/ready").statusCode() == 200;
            } catch (UncheckedIOException notListeningYet) {
              return false;
            }
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; its output:\n" + output(), e);
    }
  }

  /** Sends a real SIGTERM, as Kubernetes does, through {@code kill -TERM}. */
  void sigterm() {
    try {
      process.sigterm();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The exit status, failing if the process is still running after {@code timeout}. */
  int awaitExit(Duration timeout) {
    int status;
    try {
      status = process.waitFor(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (status == -1 && process.isAlive()) {
      throw new AssertionError("still running after " + timeout + "; its output:\n" + output());
    }
    return status;
  }

  /** Every line written to standard error so far. */
  List<String> stderr() {
    return process.stderr();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Every line written to standard output so far. */
  List<String> lines() {
    return process.stdout();
  }

  /** The lines that are one JSON object each; {@link #notJson()} has the others. */
  List<JsonNode> jsonLines() {
    List<JsonNode> objects = new ArrayList<>();
    for (String line : lines()) {
      JsonNode node = parse(line);
      if (node != null) {
        objects.add(node);
      }
    }
    return objects;
  }

  /** The access-log lines so far, one per request the service served. */
  List<JsonNode> accessLog() {
    return jsonLines().stream()
        .filter(line -> ACCESS_LOGGER.equals(line.path("logger").asString()))
        .toList();
  }

  /** The lines that are not exactly one JSON object. */
  List<String> notJson() {
    return lines().stream().filter(line -> parse(line) == null).toList();
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode node = ServiceClient.JSON.readTree(line);
      return node != null && node.isObject() ? node : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  /** The last lines of both streams, for failure messages. */
  String output() {
    List<String> out = lines();
    List<String> err = process.stderr();
    return String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size()))
        + (err.isEmpty() ? "" : "\n(stderr)\n" + String.join("\n", err));
  }

  /** Kills the process if a test left it running. */
  @Override
  public void close() {
    process.close();
  }
}
