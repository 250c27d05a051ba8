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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private PrometheusServer(Process process, String base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts Prometheus scraping {@code targets} ({@code host:port}, path {@code /metrics}) as job
   * {@code job} every second, evaluating {@code ruleFiles} every second, with its data in {@code
   * workDir}; returns once it is ready.
   */
  public static PrometheusServer start(
      String job, List<String> targets, List<Path> ruleFiles, Path workDir) throws IOException {
    Path binary = LocalServices.requireExecutable("prometheus");
    int port = FreePorts.find();
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
        .append("'\n    metrics_path: /metrics\n    static_configs:\n      - targets: [");
    for (int i = 0; i < targets.size(); i++) {
      config.append(i == 0 ? "'" : ", '").append(targets.get(i)).append("'");
    }
    config.append("]\n");
    Path file = workDir.resolve("prometheus.yml");
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
    PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, log);
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
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> query(String promql) {
    Map<String, Object> data =
        (Map<String, Object>)
            api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .get("data");
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
    List<Double> values = new ArrayList<>();
    for (Map<String, Object> sample : query(promql)) {
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
