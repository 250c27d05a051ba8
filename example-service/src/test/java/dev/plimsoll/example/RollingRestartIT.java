package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.LoadDriver;
import dev.plimsoll.ops.testsupport.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One instance's part of a rolling restart: the packaged service under steady load gets a real
 * SIGTERM, as Kubernetes sends it when it replaces a pod. Every request the service accepted must
 * be answered, the slow ones included, and the process must be gone within its shutdown budget.
 * Requests that never reached it (refused, or reset in the listen backlog when the listener closed)
 * are what a client retries on the next instance; the service's access log shows it never saw them.
 */
class RollingRestartIT {

  private static final Duration DRAIN_DELAY = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(8);
  private static final Duration BUDGET = Duration.ofSeconds(15);
  private static final Duration LONG_REQUEST = Duration.ofSeconds(3);
  private static final int LONG_REQUESTS = 3;

  /**
   * Clients on a connection per request. Many, so that requests arrive at every step of the
   * shutdown: with 8, the hand-over from the drain to Tomcat's graceful shutdown answered 400 in 1
   * of 25 runs; with 32, in 5 of 40 (docs/reliability.md).
   */
  private static final int CLIENTS = 32;

  private static final int KEEP_ALIVE_CLIENTS = 8;

  private ServiceProcess service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void steadyLoadAndSlowRequestsAreAllAnsweredAcrossSigterm() throws Exception {
    String path = startService();
    ServiceClient client = service.client();
    try (LoadDriver load =
        LoadDriver.builder(port(), path).concurrency(CLIENTS).requestIdPrefix("restart-").start()) {
      Await.until(
          "steady load to be answered",
          Duration.ofSeconds(10),
          () -> load.result().succeeded() >= 200);
      List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
      for (int i = 0; i < LONG_REQUESTS; i++) {
        slow.add(
            TestHttp.send(
                client.base()
                    + path
                    + "?"
                    + DemoFaults.LATENCY_PARAMETER
                    + "="
                    + LONG_REQUEST.toMillis()));
      }
      Await.until(
          "the slow requests to be in flight",
          Duration.ofSeconds(5),
          () ->
              client.scrape().samples("http_server_active_requests").stream()
                      .mapToDouble(s -> s.value())
                      .sum()
                  >= LONG_REQUESTS);

      long answeredBefore = load.result().succeeded();
      Stopped stopped = sigtermUnder(load);
      LoadDriver.Result result = stopped.load();
      long exitMillis = stopped.exitMillis();
      int exit = stopped.exit();

      List<Integer> slowStatuses =
          slow.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
      System.out.printf(
          "rolling restart (new connection per request, %d clients): %s; %d slow requests of"
              + " %d ms: %s; SIGTERM to exit %d ms (budget %d ms), exit status %d%n",
          CLIENTS,
          result.summary(),
          LONG_REQUESTS,
          LONG_REQUEST.toMillis(),
          slowStatuses,
          exitMillis,
          BUDGET.toMillis(),
          exit);

      assertThat(result.failures())
          .as("accepted requests that failed; what the service logged of them: %s", logged(result))
          .isEmpty();
      assertThat(slowStatuses).as("slow requests in flight at SIGTERM").containsOnly(200);
      assertThat(result.succeeded())
          .as("requests answered after SIGTERM, during the drain")
          .isGreaterThan(answeredBefore);
      assertNeverSeenByTheService(result.unanswered());
      assertThat(exitMillis).as("SIGTERM to exit, ms").isLessThan(BUDGET.toMillis());
      assertThat(exit).isZero();
    }
  }

  @Test
  void connectionCloseMovesKeepAliveClientsOffTheInstanceWithoutErrors() throws Exception {
    String path = startService();
    try (LoadDriver load =
        LoadDriver.builder(port(), path)
            .concurrency(KEEP_ALIVE_CLIENTS)
            .keepAlive(true)
            .requestIdPrefix("keep-alive-")
            .start()) {
      Await.until(
          "steady load to be answered",
          Duration.ofSeconds(10),
          () -> load.result().succeeded() >= 200);
      LoadDriver.Result before = load.result();
      // Tomcat also closes a connection after 100 requests (max-keep-alive-requests), so a few
      // closes may come before the SIGTERM; every new connection follows one.
      assertThat(before.connectionsOpened())
          .as("persistent connections are reused before the SIGTERM")
          .isLessThan(before.sent() / 5)
          .isLessThanOrEqualTo(KEEP_ALIVE_CLIENTS + before.closeAnswered());

      Stopped stopped = sigtermUnder(load);
      LoadDriver.Result result = stopped.load();
      long exitMillis = stopped.exitMillis();
      int exit = stopped.exit();
      System.out.printf(
          "rolling restart (keep-alive, %d clients): %s; SIGTERM to exit %d ms (budget %d ms)%n",
          KEEP_ALIVE_CLIENTS, result.summary(), exitMillis, BUDGET.toMillis());

      assertThat(result.failures()).as("accepted requests that failed").isEmpty();
      assertThat(result.closeAnswered() - before.closeAnswered())
          .as("responses with Connection: close from the SIGTERM on")
          .isGreaterThanOrEqualTo(KEEP_ALIVE_CLIENTS);
      assertThat(result.connectionsOpened())
          .as("clients reconnected after Connection: close")
          .isGreaterThan(KEEP_ALIVE_CLIENTS);
      assertNeverSeenByTheService(result.unanswered());
      assertThat(exitMillis).as("SIGTERM to exit, ms").isLessThan(BUDGET.toMillis());
      assertThat(exit).isZero();
    }
  }

  /**
   * The service's log lines about the failed requests, its warnings and errors, and everything but
   * the access log from the SIGTERM on: whether a failure reached the application or came from the
   * server around it, and in which step of the shutdown.
   */
  private String logged(LoadDriver.Result result) {
    Set<String> failed =
        result.failures().stream().map(f -> f.split(":", 2)[0]).collect(Collectors.toSet());
    List<String> kept = new ArrayList<>();
    boolean stopping = false;
    for (JsonNode line : service.jsonLines()) {
      String logger = line.path("logger").asString();
      stopping |= logger.endsWith("ShutdownCoordinator");
      if (failed.contains(line.path("request_id").asString())
          || line.path("level").asString().matches("WARN|ERROR")
          || (stopping && !ServiceProcess.ACCESS_LOGGER.equals(logger))) {
        kept.add(line.toString());
      }
    }
    return kept.subList(0, Math.min(kept.size(), 40)).toString();
  }

  /** How the service went: its exit status, SIGTERM to exit, and the load until then. */
  private record Stopped(int exit, long exitMillis, LoadDriver.Result load) {}

  /**
   * Sends SIGTERM, waits for the exit, keeps the load on until connections are refused (the
   * listener is gone), then stops it.
   */
  private Stopped sigtermUnder(LoadDriver load) {
    long sigterm = System.nanoTime();
    service.sigterm();
    int exit = service.awaitExit(BUDGET.plusSeconds(10));
    long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;
    Await.until(
        "connections to be refused once the listener is gone",
        Duration.ofSeconds(5),
        () -> load.result().refused() > 0);
    return new Stopped(exit, exitMillis, load.stop(Duration.ofSeconds(5)));
  }

  /** Starts the service with short shutdown settings; the path of a task to read under load. */
  private String startService() {
    service =
        ServiceProcess.start(
            Map.of(
                "OPS_SHUTDOWN_DRAIN_DELAY", DRAIN_DELAY.toSeconds() + "s",
                "OPS_SHUTDOWN_TIMEOUT", TIMEOUT.toSeconds() + "s",
                "OPS_SHUTDOWN_BUDGET", BUDGET.toSeconds() + "s",
                // Only for the slow requests; without demo_latency_ms no latency is added.
                "TASKS_DEMO_ENABLED", "true"));
    service.awaitReady(Duration.ofSeconds(60));
    return "/tasks/" + service.client().create("read under load");
  }

  private int port() {
    return service.client().port();
  }

  /**
   * Requests whose connection closed before any response byte were never accepted: the service did
   * not log them. The access log is complete once the process has exited.
   */
  private void assertNeverSeenByTheService(List<String> unanswered) {
    Set<String> seen =
        Await.until(
            "the access log of the whole run",
            Duration.ofSeconds(5),
            () ->
                service.jsonLines().stream().anyMatch(l -> l.has("shutdown.requests_drained"))
                    ? service.accessLog().stream()
                        .map(l -> l.path("request_id").asString())
                        .collect(Collectors.toSet())
                    : null);
    assertThat(seen).as("request IDs in the access log").hasSizeGreaterThan(100);
    assertThat(unanswered).as("unanswered requests the service logged").noneMatch(seen::contains);
  }
}
