package dev.plimsoll.ops.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.ObjectMapper;

/**
 * A child JVM running an executable jar, with its standard output and error collected line by line,
 * and a real SIGTERM. Close it to kill what is left.
 */
public final class JavaProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  private JavaProcess(Process process, boolean keepStdout) {
    this.process = process;
    if (keepStdout) {
      collect(process.getInputStream(), stdout);
    }
    collect(process.getErrorStream(), stderr);
  }

  /** Starts {@code java [jvmArgs] -jar jar [args]} with {@code environment} added. */
  public static JavaProcess startJar(
      Path jar, Map<String, String> environment, List<String> jvmArgs, List<String> args)
      throws IOException {
    return start(jarCommand(jar, jvmArgs, args), environment, true);
  }

  /**
   * Like {@link #startJar} with standard output discarded, for a long run whose every line (an
   * access line per request) would otherwise be kept in memory.
   */
  public static JavaProcess startJarDiscardingStdout(
      Path jar, Map<String, String> environment, List<String> jvmArgs, List<String> args)
      throws IOException {
    return start(jarCommand(jar, jvmArgs, args), environment, false);
  }

  private static List<String> jarCommand(Path jar, List<String> jvmArgs, List<String> args) {
    List<String> command = new ArrayList<>(jvmArgs);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    return command;
  }

  /**
   * Starts {@code main} in a child JVM on this JVM's class path (the test class path), with {@code
   * environment} added.
   */
  public static JavaProcess startMain(
      Class<?> main, Map<String, String> environment, List<String> args) throws IOException {
    return startMain(List.of(), main, environment, args, true);
  }

  /** Like {@link #startMain(Class, Map, List)}, with JVM options such as {@code -javaagent:}. */
  public static JavaProcess startMain(
      List<String> jvmArgs, Class<?> main, Map<String, String> environment, List<String> args)
      throws IOException {
    return startMain(jvmArgs, main, environment, args, true);
  }

  /**
   * Like {@link #startMain(Class, Map, List)}; without {@code keepStdout} standard output is
   * discarded, for a long run whose every line would otherwise be kept in memory.
   */
  public static JavaProcess startMain(
      Class<?> main, Map<String, String> environment, List<String> args, boolean keepStdout)
      throws IOException {
    return startMain(List.of(), main, environment, args, keepStdout);
  }

  private static JavaProcess startMain(
      List<String> jvmArgs,
      Class<?> main,
      Map<String, String> environment,
      List<String> args,
      boolean keepStdout)
      throws IOException {
    List<String> command = new ArrayList<>(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    return start(command, environment, keepStdout);
  }

  private static JavaProcess start(
      List<String> arguments, Map<String, String> environment, boolean keepStdout)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    if (!keepStdout) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    return new JavaProcess(builder.start(), keepStdout);
  }

  /** Every line written to standard output so far. */
  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  /** Every line of standard output so far that is one JSON object (a JSON log line), parsed. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> stdoutJson() {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String line : stdout) {
      if (line.startsWith("{")) {
        try {
          objects.add(JSON.readValue(line, Map.class));
        } catch (RuntimeException e) {
          // Not JSON after all (a line cut by the process's end): not a log event to read.
        }
      }
    }
    return objects;
  }

  /** Every line written to standard error so far. */
  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** Whether it is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Its process ID. */
  public long pid() {
    return process.pid();
  }

  /**
   * Sends SIGTERM, as Kubernetes does, through {@code kill -TERM}.
   *
   * @throws IllegalStateException if {@code kill} fails
   */
  public void sigterm() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -TERM " + process.pid() + " failed");
    }
  }

  /** Waits for it to exit and returns its status, or -1 if it is still running at the timeout. */
  public int waitFor(java.time.Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static void collect(InputStream stream, List<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(reading failed: " + e + ")");
              }
            },
            "java-process-reader");
    reader.setDaemon(true);
    reader.start();
  }
}
