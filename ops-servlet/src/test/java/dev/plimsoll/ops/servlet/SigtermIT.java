package dev.plimsoll.ops.servlet;

import static dev.plimsoll.ops.testsupport.TestHttp.awaitStatus;
import static dev.plimsoll.ops.testsupport.TestHttp.get;
import static dev.plimsoll.ops.testsupport.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.Scrape;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sends a real SIGTERM to a child JVM serving slow requests through Plimsoll. */
class SigtermIT {

  private JavaProcess child;

  @AfterEach
  void kill() {
    if (child != null) {
      child.close();
    }
  }

  @Test
  void sigtermDrainsInFlightRequestsAndLogsEveryPhase() throws Exception {
    child =
        JavaProcess.startMain(
            SlowServer.class,
            Map.of(
                "OPS_SERVICE_NAME", "sigterm-test",
                "OPS_SHUTDOWN_DRAIN_DELAY", "1s",
                "OPS_SHUTDOWN_TIMEOUT", "10s",
                "OPS_SHUTDOWN_BUDGET", "20s"),
            List.of());
    String portLine =
        Await.until(
            "the child to print its port",
            Duration.ofSeconds(30),
            () ->
                child.stderr().stream()
                    .filter(l -> l.startsWith("PORT "))
                    .findFirst()
                    .orElse(null));
    String base = "http://127.0.0.1:" + portLine.substring(5).trim();
    assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);

    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slow.add(send(base + "/slow?ms=3000"));
    }
    // The scrape itself is not counted (ops.metrics.exclude-paths).
    Await.until(
        "3 slow requests in flight",
        Duration.ofSeconds(10),
        () ->
            Scrape.parse(get(base + "/metrics").body()).sum("http_server_active_requests", Map.of())
                >= 3);

    child.sigterm();
    HttpResponse<String> ready = awaitStatus(base + "/health/ready", 503, Duration.ofSeconds(5));
    assertThat(ready.body()).contains("\"reason\":\"" + HealthNames.DRAINING + "\"");

    for (CompletableFuture<HttpResponse<String>> request : slow) {
      assertThat(request.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    // Outside Spring nothing turns a SIGTERM into another status: 128 + 15.
    assertThat(child.waitFor(Duration.ofSeconds(30))).as("exit status").isEqualTo(143);

    List<String> stdout = child.stdout();
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
}
