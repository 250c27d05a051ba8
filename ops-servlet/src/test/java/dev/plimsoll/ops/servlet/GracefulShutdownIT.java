package dev.plimsoll.ops.servlet;

import static dev.plimsoll.ops.testsupport.TestHttp.get;
import static dev.plimsoll.ops.testsupport.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.shutdown.ShutdownSummary;
import dev.plimsoll.ops.shutdown.internal.InFlightRequests;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.LogCapture;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shuts a real Jetty down while slow requests are in flight. */
class GracefulShutdownIT {

  @Test
  void inFlightRequestsCompleteReadinessIsDownFromTheStartAndClosersRunInOrder() throws Exception {
    Plimsoll plimsoll =
        Plimsoll.builder()
            .settings(
                OpsSettings.from(
                    ConfigSource.of(
                        Map.of(
                            "ops.service.name", "shutdown-test",
                            "ops.shutdown.hook", "false",
                            "ops.shutdown.drain-delay", "1s",
                            "ops.shutdown.timeout", "10s",
                            "ops.shutdown.budget", "20s"))))
            .build();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern("%msg%n");
    LogCapture logs = LogCapture.attach(encoder);
    SlowServer app = new SlowServer(plimsoll);
    String base = "http://127.0.0.1:" + app.port;
    List<String> closed = new CopyOnWriteArrayList<>();
    CountDownLatch never = new CountDownLatch(1);
    plimsoll.shutdown().addCloser("first", () -> closed.add("first"));
    plimsoll
        .shutdown()
        .addCloser(
            "hangs",
            () -> {
              closed.add("hangs");
              never.await();
            },
            Duration.ofMillis(300));
    plimsoll.shutdown().addCloser("pool", () -> closed.add("pool"));

    assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);

    // Held until the test releases them, so no phase below races a clock.
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(send(base + "/held"));
    }
    Await.until(
        "5 requests in flight",
        Duration.ofSeconds(10),
        () -> InFlightRequests.of(plimsoll.shutdown()).active() == 5);

    CompletableFuture<ShutdownSummary> shutdown =
        CompletableFuture.supplyAsync(
            plimsoll.shutdown()::shutdown,
            runnable -> new Thread(runnable, "test-shutdown").start());
    Await.until("shutdown under way", Duration.ofSeconds(5), plimsoll.shutdown()::isDraining);

    // Phase 1 and 2: readiness says draining, liveness is up, traffic is still served.
    HttpResponse<String> ready = get(base + "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("\"reason\":\"" + HealthNames.DRAINING + "\"");
    assertThat(ready.headers().firstValue("Connection")).hasValue("close");
    assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> during = get(base + "/slow?ms=1");
    assertThat(during.statusCode()).isEqualTo(200);
    assertThat(during.headers().firstValue("Connection")).hasValue("close");
    // Phase 3: past the drain delay, the shutdown waits for the requests still in flight.
    Await.until(
        "the drain delay to end",
        Duration.ofSeconds(10),
        () -> logs.lines().stream().anyMatch(l -> l.contains("phase drain-delay done")));
    assertThat(shutdown).isNotDone();
    assertThat(held).noneMatch(CompletableFuture::isDone);

    app.release.countDown();
    for (CompletableFuture<HttpResponse<String>> request : held) {
      HttpResponse<String> response = request.get(15, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"released\":true}");
    }
    ShutdownSummary summary = shutdown.get(20, TimeUnit.SECONDS);
    assertThat(summary.stillRunning()).isZero();
    assertThat(summary.drained()).isGreaterThanOrEqualTo(5 + 3);
    assertThat(summary.failedClosers()).containsExactly("hangs");
    assertThat(closed).containsExactly("pool", "hangs", "first");
    assertThatThrownBy(() -> get(base + "/slow?ms=1")).hasCauseInstanceOf(ConnectException.class);
    logs.close();
  }
}
