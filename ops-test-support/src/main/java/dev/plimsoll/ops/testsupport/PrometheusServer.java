package dev.plimsoll.ops.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * A real Prometheus (the {@code prometheus} binary on the PATH) on a free loopback port, scraping
 * given targets every second with given rule files loaded. Close it to stop it.
 */
public final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final String base;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Path log;
  private final Path targetsFile;
  private final List<String> targets = new ArrayList<>();

  private PrometheusServer(
      Process process, String base, Path log, Path targetsFile, List<String> targets) {
    this.process = process;
    this.base = base;
    this.log = log;
    this.targetsFile = targetsFile;
    this.targets.addAll(targets);
  }

  /**
   * Starts Prometheus scraping {@code targets} ({@code host:port}, path {@code /metrics}) as job
   * {@code job} every second, evaluating {@code ruleFiles} every second, with its data in {@code
   * workDir}; returns once it is ready. {@link #addTarget} adds more targets later.
   */
  public static PrometheusServer start(
      String job, List<String> targets, List<Path> ruleFiles, Path workDir) throws IOException {
    // The targets come from a file Prometheus watches (file_sd_configs), so that a test can add
    // instances it starts later, each on a port found when it starts.
    Path targetsFile = workDir.resolve("targets.json");
    writeTargets(targetsFile, targets);
    StringBuilder config =
        new StringBuilder()
            .append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
            .append("rule_files:\n");
    for (Path rules : ruleFiles) {
      config.append("  - '").append(rules.toAbsolutePath()).append("'\n");
    }
    config
        .append("scrape_configs:\n  - job_name: '")
        .append(job)
        .append("'\n    metrics_path: /metrics\n    file_sd_configs:\n      - files: ['")
        .append(targetsFile.toAbsolutePath())
        .append("']\n        refresh_interval: 1s\n");
    return launch(config.toString(), workDir, targetsFile, targets);
  }

  /**
   * Starts Prometheus with {@code config} as its prometheus.yml (for federation, external labels or
   * several jobs), with its data in {@code workDir}; returns once it is ready. {@link #addTarget}
   * writes {@code workDir/targets.json}, which only a {@code file_sd_configs} of {@code config}
   * would read.
   */
  public static PrometheusServer start(String config, Path workDir) throws IOException {
    return launch(config, workDir, workDir.resolve("targets.json"), List.of());
  }

  private static PrometheusServer launch(
      String config, Path workDir, Path targetsFile, List<String> targets) throws IOException {
    Path binary = LocalServices.requireExecutable("prometheus");
    int port = FreePorts.find();
    Path file = workDir.resolve("prometheus.yml");
    Files.createDirectories(workDir);
    Files.writeString(file, config);
    Path log = workDir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server =
        new PrometheusServer(process, "http://127.0.0.1:" + port, log, targetsFile, targets);
    try {
      Await.until(
          "Prometheus to be ready (log: " + log + ")",
          Duration.ofSeconds(30),
          () -> server.ready() || !process.isAlive());
      if (!process.isAlive()) {
        throw new IllegalStateException("Prometheus exited: " + Files.readString(log));
      }
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Adds a target ({@code host:port}) to scrape, from its next discovery (Prometheus watches the
   * file, and reads it again every second).
   */
  public synchronized void addTarget(String target) throws IOException {
    targets.add(target);
    writeTargets(targetsFile, targets);
  }

  /** Writes the targets file whole, then moves it in place, so Prometheus never reads half. */
  private static void writeTargets(Path file, List<String> targets) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, JSON.writeValueAsString(List.of(Map.of("targets", targets))));
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The base URL of its HTTP API, such as {@code http://127.0.0.1:40123}. */
  public String url() {
    return base;
  }

  /** What Prometheus has logged. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /**
   * Runs an instant query and returns its result vector: each element a map with {@code metric}
   * (labels) and {@code value} ([time, "number"]).
   *
   * @throws IllegalStateException if Prometheus rejects the query
   */
  public List<Map<String, Object>> query(String promql) {
    return instantQuery("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /**
   * Runs an instant query evaluated at {@code time}, as {@link #query(String)} does at the present.
   *
   * @throws IllegalStateException if Prometheus rejects the query
   */
  public List<Map<String, Object>> query(String promql, Instant time) {
    return instantQuery(
        "/api/v1/query?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + "&time="
            + time.getEpochSecond()
            + "."
            + String.format(Locale.ROOT, "%03d", time.getNano() / 1_000_000));
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> instantQuery(String path) {
    Map<String, Object> data = (Map<String, Object>) api(path).get("data");
    Object result = data.get("result");
    if (result instanceof List<?> list) {
      return (List<Map<String, Object>>) list;
    }
    // A scalar or string result: one element without labels.
    List<Map<String, Object>> single = new ArrayList<>();
    single.add(Map.of("metric", Map.of(), "value", result));
    return single;
  }

  /** The numbers of an instant query's result vector. */
  public List<Double> values(String promql) {
    return numbers(query(promql));
  }

  /** The numbers of an instant query's result vector at {@code time}. */
  public List<Double> values(String promql, Instant time) {
    return numbers(query(promql, time));
  }

  private static List<Double> numbers(List<Map<String, Object>> result) {
    List<Double> values = new ArrayList<>();
    for (Map<String, Object> sample : result) {
      List<?> value = (List<?>) sample.get("value");
      values.add(Double.parseDouble(String.valueOf(value.get(1))));
    }
    return values;
  }

  /**
   * The active alerts: each a map with {@code labels}, {@code state} ({@code pending}, {@code
   * firing}).
   */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> alerts() {
    Map<String, Object> data = (Map<String, Object>) api("/api/v1/alerts").get("data");
    return (List<Map<String, Object>>) data.get("alerts");
  }

  /** Whether every scrape target is up. */
  public boolean targetsUp() {
    List<Double> up = values("up");
    return !up.isEmpty() && up.stream().allMatch(v -> v == 1.0);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> api(String path) {
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Map<String, Object> body = JSON.readValue(response.body(), Map.class);
      if (!"success".equals(body.get("status"))) {
        throw new IllegalStateException("Prometheus answered " + response.body() + " to " + path);
      }
      return body;
    } catch (IOException e) {
      throw new IllegalStateException("Prometheus did not answer " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private boolean ready() {
    try {
      return client
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
