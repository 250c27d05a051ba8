package dev.plimsoll.ops.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.shutdown.internal.InFlightRequests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Drives the coordinator on a fake clock: drain delays, request timeouts, closer timeouts and the
 * budget pass without a real sleep, and closers that "take" time move the clock themselves. Real
 * time is covered by the servlet and starter integration tests (GracefulShutdownIT, SigtermIT).
 */
@Timeout(30) // a safety net should a fake wait never be woken; the tests take milliseconds
class ShutdownCoordinatorTest {

  private final HealthRegistry health = HealthRegistry.builder().build();
  private final FakeShutdownClock clock = new FakeShutdownClock();
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
        .health(health)
        .clock(clock);
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
    // The requests end 300 ms and 400 ms into the wait for them, after the 100 ms drain delay.
    clock.at(
        Duration.ofMillis(400),
        () -> {
          inFlight.finished();
          events.add("request done");
        });
    clock.at(
        Duration.ofMillis(500),
        () -> {
          inFlight.finished();
          events.add("request done");
        });
    ShutdownSummary summary = shutdown.shutdown();
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
    long start = clock.nanoTime();
    ShutdownSummary summary = shutdown.shutdown();
    assertThat(Duration.ofNanos(clock.nanoTime() - start)).isEqualTo(Duration.ofMillis(200));
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
          hangPast(Duration.ofMillis(200), never);
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
    clock.at(Duration.ofMillis(300), shutdown.inFlight()::finished);
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
    // 600 ms of the 700 ms budget are spent draining: "slow" gets 100 ms and takes 500 ms.
    shutdown.addCloser("slow", () -> clock.sleep(Duration.ofMillis(500).toNanos()));
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

  @Test
  void readinessTurnedDownForTheDrainMakesTheCoordinatorDrainingToo() {
    ShutdownCoordinator shutdown = coordinator().build();
    health.markDraining();
    assertThat(shutdown.isDraining()).isTrue();
    assertThat(health.lifecycle()).isEqualTo(HealthRegistry.Lifecycle.DRAINING);
  }

  @Test
  void aCoordinatorWithoutARegistryKeepsItsOwnLifecycle() {
    ShutdownCoordinator shutdown =
        ShutdownCoordinator.builder().drainDelay(Duration.ZERO).clock(clock).build();
    assertThat(shutdown.isDraining()).isFalse();
    shutdown.drain();
    assertThat(shutdown.isDraining()).isTrue();
    assertThat(health.lifecycle()).isEqualTo(HealthRegistry.Lifecycle.SERVING);
  }

  @Test
  void theDrainDelayIsSleptOnTheClockAndBoundedByTheBudget() {
    ShutdownCoordinator shutdown =
        coordinator()
            .drainDelay(Duration.ofSeconds(5))
            .timeout(Duration.ZERO)
            .budget(Duration.ofSeconds(5))
            .build();
    long start = clock.nanoTime();
    ShutdownSummary summary = shutdown.shutdown();
    assertThat(Duration.ofNanos(clock.nanoTime() - start)).isEqualTo(Duration.ofSeconds(5));
    assertThat(summary.duration()).isEqualTo(Duration.ofSeconds(5));
  }

  /** Moves the clock past {@code timeout}, then blocks until interrupted: a closer that hangs. */
  private void hangPast(Duration timeout, CountDownLatch never) throws InterruptedException {
    clock.advance(timeout.plusMillis(50));
    never.await();
  }
}
