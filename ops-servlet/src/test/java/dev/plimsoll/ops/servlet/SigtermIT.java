package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.testsupport.Await;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sends a real SIGTERM to a child JVM serving slow requests through Plimsoll. */
class SigtermIT {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private Process child;

  @AfterEach
  void kill() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void sigtermDrainsInFlightRequestsAndLogsEveryPhase() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            SlowServer.class.getName());
    builder.environment().put("OPS_SERVICE_NAME", "sigterm-test");
    builder.environment().put("OPS_SHUTDOWN_DRAIN_DELAY", "1s");
    builder.environment().put("OPS_SHUTDOWN_TIMEOUT", "10s");
    builder.environment().put("OPS_SHUTDOWN_BUDGET", "20s");
    child = builder.start();
    collect(child.getInputStream(), stdout);
    collect(child.getErrorStream(), stderr);
    String portLine =
        Await.until(
            "the child to print its port",
            Duration.ofSeconds(30),
            () -> stderr.stream().filter(l -> l.startsWith("PORT ")).findFirst().orElse(null));
    String base = "http://127.0.0.1:" + portLine.substring(5).trim();
    assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);

    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slow.add(send(base + "/slow?ms=3000"));
    }
    // The active-requests gauge counts the scrape itself too.
    Await.until(
        "3 slow requests in flight",
        Duration.ofSeconds(10),
        () ->
            get(base + "/metrics").body().contains("http_server_active_requests{")
                && activeRequests(get(base + "/metrics").body()) >= 4);

    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start();
    assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();

    HttpResponse<String> ready =
        Await.until(
            "readiness to turn 503",
            Duration.ofSeconds(5),
            () -> {
              HttpResponse<String> response = get(base + "/health/ready");
              return response.statusCode() == 503 ? response : null;
            });
    assertThat(ready.body()).contains("\"reason\":\"" + HealthNames.DRAINING + "\"");

    for (CompletableFuture<HttpResponse<String>> request : slow) {
      HttpResponse<String> response = request.get(20, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exited").isTrue();
    assertThat(child.exitValue()).isEqualTo(143); // 128 + SIGTERM

    for (String phase :
        List.of("readiness-down", "drain-delay", "in-flight", "server-stop", "closers")) {
      assertThat(stdout).anyMatch(l -> l.contains("\"shutdown.phase\":\"" + phase + "\""));
    }
    String summary =
        stdout.stream()
            .filter(l -> l.contains("\"shutdown.requests_drained\""))
            .findFirst()
            .orElseThrow();
    assertThat(summary).contains("\"shutdown.requests_in_flight\":0");
    long drained =
        Long.parseLong(summary.replaceAll(".*\"shutdown.requests_drained\":(\\d+).*", "$1"));
    assertThat(drained).isGreaterThanOrEqualTo(3);
    assertThat(stdout).anyMatch(l -> l.contains("Closed 'tracing'"));
  }

  private static double activeRequests(String scrape) {
    return scrape
        .lines()
        .filter(l -> l.startsWith("http_server_active_requests{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
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
              } catch (java.io.IOException e) {
                lines.add("read failed: " + e);
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  private CompletableFuture<HttpResponse<String>> send(String url) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) {
    try {
      return send(url).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url + " failed", e);
    }
  }
}
