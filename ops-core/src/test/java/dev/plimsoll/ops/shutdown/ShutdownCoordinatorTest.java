package dev.plimsoll.ops.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.health.HealthRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShutdownCoordinatorTest {

  private final HealthRegistry health = HealthRegistry.builder().build();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    health.close();
  }

  private ShutdownCoordinator.Builder coordinator() {
    return ShutdownCoordinator.builder()
        .drainDelay(Duration.ofMillis(100))
        .timeout(Duration.ofSeconds(2))
        .closerTimeout(Duration.ofSeconds(2))
        .budget(Duration.ofSeconds(10))
        .health(health);
  }

  @Test
  void readinessIsDownFromTheFirstPhaseWhileLivenessStaysUp() {
    ShutdownCoordinator shutdown = coordinator().build();
    shutdown.addCloser(
        "probe",
        () -> {
          events.add("ready=" + health.check(HealthGroup.READY).reason());
          events.add("live=" + health.check(HealthGroup.LIVE).status());
          events.add("draining=" + shutdown.isDraining());
        });
    assertThat(shutdown.isDraining()).isFalse();
    shutdown.shutdown();
    assertThat(events).containsExactly("ready=" + HealthNames.DRAINING, "live=UP", "draining=true");
  }

  @Test
  void inFlightRequestsFinishBeforeTheServerStopsAndAreCounted() throws Exception {
    ShutdownCoordinator shutdown = coordinator().build();
    InFlightRequests inFlight = shutdown.inFlight();
    inFlight.started();
    inFlight.started();
    shutdown.onServerStop(() -> events.add("server stopped with " + inFlight.active()));
    CompletableFuture<Void> requests =
        CompletableFuture.runAsync(
            () -> {
              sleep(300);
              inFlight.finished();
              events.add("request done");
              sleep(100);
              inFlight.finished();
              events.add("request done");
            });
    ShutdownSummary summary = shutdown.shutdown();
    requests.get(5, TimeUnit.SECONDS);
    assertThat(events).containsExactly("request done", "request done", "server stopped with 0");
    assertThat(summary.drained()).isEqualTo(2);
    assertThat(summary.stillRunning()).isZero();
    assertThat(summary.failedClosers()).isEmpty();
  }

  @Test
  void requestsStillRunningAtTheTimeoutAreReportedAndShutdownGoesOn() {
    ShutdownCoordinator shutdown =
        coordinator().drainDelay(Duration.ZERO).timeout(Duration.ofMillis(200)).build();
    shutdown.inFlight().started();
    shutdown.onServerStop(() -> events.add("server stopped"));
    ShutdownSummary summary = shutdown.shutdown();
    assertThat(summary.stillRunning()).isEqualTo(1);
    assertThat(summary.drained()).isZero();
    assertThat(events).containsExactly("server stopped");
  }

  @Test
  void closersRunInReverseOrderAndAHangingOrFailingOneDoesNotStopTheOthers() {
    ShutdownCoordinator shutdown = coordinator().build();
    CountDownLatch never = new CountDownLatch(1);
    shutdown.addCloser("logging-like", () -> events.add("first registered"));
    shutdown.addCloser(
        "hangs",
        () -> {
          events.add("hangs");
          never.await();
        },
        Duration.ofMillis(200));
    shutdown.addCloser(
        "throws",
        () -> {
          events.add("throws");
          throw new IllegalStateException("pool already closed");
        });
    shutdown.addCloser("pool", () -> events.add("pool"));
    shutdown.lastly("logging", () -> events.add("lastly"));

    ShutdownSummary summary = shutdown.shutdown();

    assertThat(events).containsExactly("pool", "throws", "hangs", "first registered", "lastly");
    assertThat(summary.failedClosers()).containsExactly("throws", "hangs");
  }

  @Test
  void theSequenceRunsOnceHoweverOftenItIsAskedFor() throws Exception {
    ShutdownCoordinator shutdown = coordinator().build();
    shutdown.addCloser("pool", () -> events.add("pool"));
    CompletableFuture<ShutdownSummary> other = CompletableFuture.supplyAsync(shutdown::shutdown);
    ShutdownSummary mine = shutdown.shutdown();
    assertThat(other.get(5, TimeUnit.SECONDS)).isSameAs(mine);
    shutdown.close();
    assertThat(events).containsExactly("pool");
  }

  @Test
  void closeWithoutAShutdownRunsTheClosersOnceWithoutDraining() {
    ShutdownCoordinator shutdown = coordinator().build();
    shutdown.addCloser("pool", () -> events.add("pool"));
    shutdown.lastly("logging", () -> events.add("lastly"));
    shutdown.close();
    shutdown.close();
    assertThat(events).containsExactly("pool");
    assertThat(health.lifecycle()).isEqualTo(HealthRegistry.Lifecycle.SERVING);
  }

  @Test
  void drainLeavesTheServerAndTheClosersToCloseAfterwards() {
    ShutdownCoordinator shutdown = coordinator().build();
    shutdown.onServerStop(() -> events.add("server"));
    shutdown.addCloser("pool", () -> events.add("pool"));
    shutdown.inFlight().started();
    CompletableFuture.runAsync(
        () -> {
          sleep(200);
          shutdown.inFlight().finished();
        });
    ShutdownSummary summary = shutdown.drain();
    assertThat(summary.drained()).isEqualTo(1);
    assertThat(health.check(HealthGroup.READY).reason()).isEqualTo(HealthNames.DRAINING);
    assertThat(events).isEmpty();
    assertThat(shutdown.shutdown()).isSameAs(summary);
    shutdown.close();
    shutdown.close();
    assertThat(events).containsExactly("pool");
  }

  @Test
  void closersBeyondTheBudgetAreSkipped() {
    ShutdownCoordinator shutdown =
        coordinator()
            .drainDelay(Duration.ofMillis(600))
            .timeout(Duration.ZERO)
            .budget(Duration.ofMillis(700))
            .build();
    shutdown.addCloser("late", () -> events.add("late"));
    shutdown.addCloser("slow", () -> sleep(500));
    ShutdownSummary summary = shutdown.shutdown();
    assertThat(summary.failedClosers()).containsExactly("slow", "late");
    assertThat(events).isEmpty();
  }

  @Test
  void aDrainDelayAndTimeoutBeyondTheBudgetAreRefused() {
    assertThatThrownBy(
            () ->
                ShutdownCoordinator.builder()
                    .drainDelay(Duration.ofSeconds(20))
                    .timeout(Duration.ofSeconds(20))
                    .budget(Duration.ofSeconds(30))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("budget");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
