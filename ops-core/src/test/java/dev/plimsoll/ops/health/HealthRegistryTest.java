package dev.plimsoll.ops.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Drives the registry on a fake clock: cache ages, staleness and run timeouts move only when a test
 * advances it, so nothing here sleeps. Checks still run on the registry's real executor, and the
 * tests wait for them on latches, never on time.
 */
@Timeout(30) // a safety net should a fake wait never be woken; the tests take milliseconds
class HealthRegistryTest {

  private final FakeHealthTime time = new FakeHealthTime();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<HealthRegistry> registries = new ArrayList<>();
  private final ExecutorService probes = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    registries.forEach(HealthRegistry::close);
    probes.shutdownNow();
  }

  private HealthRegistry registry() {
    HealthRegistry registry =
        HealthRegistry.builder()
            .defaultTimeout(Duration.ofSeconds(2))
            .defaultCacheTtl(Duration.ofSeconds(1))
            .meterRegistry(meters)
            .time(time)
            .build();
    registries.add(registry);
    return registry;
  }

  private static HealthCheckRegistration.Builder check(String name, HealthCheck check) {
    return HealthCheckRegistration.builder(name, check);
  }

  @Test
  void aFailingCriticalCheckTakesTheGroupDownAndANonCriticalOneOnlyDegradesIt() {
    HealthRegistry registry = registry();
    registry.register(check("db", HealthResult::up).build());
    registry.register(check("cache", () -> HealthResult.down("refused")).critical(false).build());
    HealthReport degraded = registry.check(HealthGroup.READY);
    assertThat(degraded.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(degraded.httpStatus()).isEqualTo(200);

    registry.register(check("queue", () -> HealthResult.down("gone")).build());
    HealthReport down = registry.check(HealthGroup.READY);
    assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(down.httpStatus()).isEqualTo(503);
    assertThat(down.checks()).extracting(CheckReport::name).containsExactly("db", "cache", "queue");
    assertThat(down.checks())
        .extracting(CheckReport::reason)
        .containsExactly(null, "refused", "gone");
  }

  @Test
  void aCheckThatReportsDegradedDegradesItsGroupEvenWhenCritical() {
    HealthRegistry registry = registry();
    registry.register(check("search", () -> HealthResult.degraded("one replica")).build());
    assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void groupsOnlyRunTheirOwnChecksAndLivenessHasNoDependencyByDefault() {
    HealthRegistry registry = registry();
    registry.register(check("db", () -> HealthResult.down("refused")).build());
    registry.register(
        check("threads", HealthResult::up).groups(HealthGroup.LIVE, HealthGroup.STARTED).build());
    assertThat(registry.check(HealthGroup.LIVE).checks())
        .extracting(CheckReport::name)
        .containsExactly("threads");
    assertThat(registry.check(HealthGroup.LIVE).status()).isEqualTo(HealthStatus.UP);
    assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.DOWN);
    assertThat(registry.checkAll().checks()).hasSize(2);
    assertThat(registry.checkAll().status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void aCheckThatHangsIsDownWithReasonTimeoutAndItsThreadIsInterrupted() throws Exception {
    HealthRegistry registry = registry();
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    registry.register(
        check(
                "hangs",
                () -> {
                  runs.incrementAndGet();
                  started.countDown();
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                  }
                  return HealthResult.up();
                })
            .timeout(Duration.ofMillis(200))
            .cacheTtl(Duration.ZERO)
            .build());
    Future<HealthReport> probe = probes.submit(() -> registry.check(HealthGroup.READY));
    assertThat(started.await(10, TimeUnit.SECONDS)).as("the run started").isTrue();
    time.awaitTimers(1);
    time.advance(Duration.ofMillis(199));
    assertThat(probe.isDone()).as("before the timeout").isFalse();
    time.advance(Duration.ofMillis(1));
    HealthReport report = probe.get(10, TimeUnit.SECONDS);
    assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(report.checks().get(0).reason()).isEqualTo(HealthNames.TIMEOUT);
    assertThat(report.checks().get(0).duration()).isEqualTo(Duration.ofMillis(200));
    // Timed-out runs are cancelled, so a hanging check does not keep an executor thread forever.
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void aRunStuckPastItsTimeoutIsNotStartedAgainUntilItEnds() throws Exception {
    HealthRegistry registry = registry();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    registry.register(
        check(
                "stuck",
                () -> {
                  runs.incrementAndGet();
                  started.countDown();
                  // Ignores interrupts, like a driver blocked in a socket read.
                  while (true) {
                    try {
                      if (release.await(10, TimeUnit.SECONDS)) {
                        return HealthResult.up();
                      }
                    } catch (InterruptedException e) {
                      // keep waiting
                    }
                  }
                })
            .timeout(Duration.ofMillis(100))
            .cacheTtl(Duration.ZERO)
            .build());
    Future<HealthReport> first = probes.submit(() -> registry.check(HealthGroup.READY));
    assertThat(started.await(10, TimeUnit.SECONDS)).as("the run started").isTrue();
    time.awaitTimers(1);
    time.advance(Duration.ofMillis(100));
    assertThat(first.get(10, TimeUnit.SECONDS).checks().get(0).reason())
        .isEqualTo(HealthNames.TIMEOUT);
    for (int i = 0; i < 4; i++) {
      HealthReport report = registry.check(HealthGroup.READY);
      assertThat(report.checks().get(0).reason()).isEqualTo(HealthNames.TIMEOUT);
    }
    assertThat(runs.get()).isEqualTo(1);
    release.countDown();
  }

  /**
   * Regression: a run that timed out while still queued behind other checks was cancelled before it
   * began, yet counted as holding a thread, so the check reported {@code timeout} for ever.
   */
  @Test
  void aRunThatTimedOutWhileQueuedDoesNotBlockTheNextRun() throws Exception {
    HealthRegistry registry =
        HealthRegistry.builder().threads(1).meterRegistry(meters).time(time).build();
    registries.add(registry);
    CountDownLatch busyStarted = new CountDownLatch(1);
    CountDownLatch releaseBusy = new CountDownLatch(1);
    AtomicInteger queuedRuns = new AtomicInteger();
    registry.register(
        check(
                "busy",
                () -> {
                  busyStarted.countDown();
                  releaseBusy.await();
                  return HealthResult.up();
                })
            .groups(HealthGroup.LIVE)
            .timeout(Duration.ofSeconds(10))
            .build());
    registry.register(
        check(
                "queued",
                () -> {
                  queuedRuns.incrementAndGet();
                  return HealthResult.up();
                })
            .timeout(Duration.ofMillis(100))
            .cacheTtl(Duration.ZERO)
            .build());
    Future<HealthReport> live = probes.submit(() -> registry.check(HealthGroup.LIVE));
    assertThat(busyStarted.await(10, TimeUnit.SECONDS)).as("the only thread is busy").isTrue();
    Future<HealthReport> ready = probes.submit(() -> registry.check(HealthGroup.READY));
    time.awaitTimers(2);
    time.advance(Duration.ofMillis(100));
    assertThat(ready.get(10, TimeUnit.SECONDS).checks().get(0).reason())
        .isEqualTo(HealthNames.TIMEOUT);
    releaseBusy.countDown();
    assertThat(live.get(10, TimeUnit.SECONDS).status()).isEqualTo(HealthStatus.UP);

    assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.UP);
    assertThat(queuedRuns.get()).as("the cancelled run never ran").isEqualTo(1);
  }

  @Test
  void theChecksOfAGroupRunInParallel() {
    HealthRegistry registry = registry();
    CountDownLatch allStarted = new CountDownLatch(3);
    for (String name : List.of("a", "b", "c")) {
      registry.register(
          check(
                  name,
                  () -> {
                    allStarted.countDown();
                    // Run one after another, each would wait here in vain.
                    return allStarted.await(5, TimeUnit.SECONDS)
                        ? HealthResult.up()
                        : HealthResult.down("ran alone");
                  })
              .timeout(Duration.ofSeconds(10))
              .build());
    }
    assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void resultsAreReusedForTheCacheTtl() {
    HealthRegistry registry = registry();
    AtomicInteger runs = new AtomicInteger();
    registry.register(
        check(
                "db",
                () -> {
                  runs.incrementAndGet();
                  return HealthResult.up();
                })
            .build());
    for (int i = 0; i < 10; i++) {
      registry.check(HealthGroup.READY);
    }
    assertThat(runs.get()).isEqualTo(1);
    time.advance(Duration.ofMillis(999));
    registry.check(HealthGroup.READY);
    assertThat(runs.get()).isEqualTo(1);
    time.advance(Duration.ofMillis(2));
    registry.check(HealthGroup.READY);
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void aBurstOfConcurrentProbesRunsTheCheckOncePerTtl() throws Exception {
    HealthRegistry registry = registry();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    registry.register(
        check(
                "db",
                () -> {
                  runs.incrementAndGet();
                  release.await();
                  return HealthResult.up();
                })
            .timeout(Duration.ofSeconds(10))
            .build());
    ExecutorService burst = Executors.newFixedThreadPool(100);
    try {
      CountDownLatch probing = new CountDownLatch(100);
      List<Future<HealthReport>> reports = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        reports.add(
            burst.submit(
                () -> {
                  probing.countDown();
                  return registry.check(HealthGroup.READY);
                }));
      }
      // The first 100 probes wait on the one run under way; the rest find its cached result.
      assertThat(probing.await(10, TimeUnit.SECONDS)).as("100 probes under way").isTrue();
      release.countDown();
      for (Future<HealthReport> report : reports) {
        assertThat(report.get(10, TimeUnit.SECONDS).status()).isEqualTo(HealthStatus.UP);
      }
      assertThat(runs.get()).isEqualTo(1);
      time.advance(Duration.ofSeconds(1));
      registry.check(HealthGroup.READY);
      assertThat(runs.get()).isEqualTo(2);
    } finally {
      burst.shutdownNow();
    }
  }

  /** Regression: every probe waited on a hung run, so a probe storm held every request thread. */
  @Test
  void whileARunIsUnderWayOtherProbesGetThePreviousResultAtOnce() throws Exception {
    HealthRegistry registry = registry();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch secondRun = new CountDownLatch(1);
    registry.register(
        check(
                "db",
                () -> {
                  if (runs.incrementAndGet() == 1) {
                    return HealthResult.up();
                  }
                  secondRun.countDown();
                  release.await();
                  return HealthResult.down("gone");
                })
            .timeout(Duration.ofSeconds(10))
            .build());
    assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.UP);
    time.advance(Duration.ofSeconds(2));
    ExecutorService starter = Executors.newSingleThreadExecutor();
    try {
      Future<HealthReport> waiting = starter.submit(() -> registry.check(HealthGroup.READY));
      assertThat(secondRun.await(10, TimeUnit.SECONDS)).as("the second run started").isTrue();
      for (int i = 0; i < 10; i++) {
        assertThat(registry.check(HealthGroup.READY).status())
            .as("a probe while the run is under way")
            .isEqualTo(HealthStatus.UP);
      }
      assertThat(waiting.isDone()).as("the probe that started the run waits for it").isFalse();
      release.countDown();
      assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(HealthStatus.DOWN);
      assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.DOWN);
      assertThat(runs.get()).isEqualTo(2);
    } finally {
      starter.shutdownNow();
    }
  }

  @Test
  void aBackgroundResultOlderThanTheMaximumStalenessIsDown() throws Exception {
    HealthRegistry registry = registry();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch firstRun = new CountDownLatch(1);
    registry.register(
        check(
                "db",
                () -> {
                  runs.incrementAndGet();
                  firstRun.countDown();
                  return HealthResult.up().withDetail("host", "db");
                })
            .refreshEvery(Duration.ofHours(1))
            .maxStaleness(Duration.ofSeconds(5))
            .build());
    // The background refresh runs at once, then hourly; no probe has run before it started, so the
    // probes below find its result (or wait for it) and never start a run of their own.
    assertThat(firstRun.await(10, TimeUnit.SECONDS)).as("the first background refresh").isTrue();
    assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.UP);
    time.advance(Duration.ofSeconds(4));
    assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.UP);
    time.advance(Duration.ofSeconds(2));
    HealthReport stale = registry.check(HealthGroup.READY);
    assertThat(stale.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(stale.checks().get(0).reason()).isEqualTo(HealthNames.STALE);
    assertThat(stale.checks().get(0).details()).containsEntry("host", "db");
    // Probes read the background result; they never run the check themselves.
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void aDampedCheckChangesStateOnlyAfterEnoughConsecutiveRuns() {
    HealthRegistry registry = registry();
    Iterator<HealthResult> script =
        List.of(
                HealthResult.up(),
                HealthResult.down("blip"),
                HealthResult.up(),
                HealthResult.down("1"),
                HealthResult.down("2"),
                HealthResult.down("3"),
                HealthResult.up(),
                HealthResult.up())
            .iterator();
    registry.register(
        check("flaky", script::next)
            .critical(false)
            .cacheTtl(Duration.ZERO)
            .dampFlapping(3, 2)
            .build());
    List<HealthStatus> seen = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      seen.add(registry.check(HealthGroup.READY).checks().get(0).status());
    }
    assertThat(seen)
        .containsExactly(
            HealthStatus.UP,
            HealthStatus.UP,
            HealthStatus.UP,
            HealthStatus.UP,
            HealthStatus.UP,
            HealthStatus.DOWN,
            HealthStatus.DOWN,
            HealthStatus.UP);
  }

  @Test
  void onlyNonCriticalChecksMayDampFlapping() {
    assertThatThrownBy(() -> check("db", HealthResult::up).dampFlapping(3, 2).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("non-critical");
  }

  @Test
  void aCheckThatThrowsIsDownWithTheExceptionClassAndNoCredentialsShown() {
    HealthRegistry registry = registry();
    registry.register(
        check(
                "db",
                () -> {
                  throw new IllegalStateException(
                      "cannot reach jdbc:postgresql://app:hunter2@db:5432/x?password=hunter3");
                })
            .build());
    HealthReport report = registry.check(HealthGroup.READY);
    CheckReport db = report.checks().get(0);
    assertThat(db.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(db.reason()).isEqualTo("IllegalStateException");
    String json = report.toJson(true);
    assertThat(json).contains("jdbc:postgresql://").doesNotContain("hunter2", "hunter3");
    assertThat(report.toJson(false)).doesNotContain("details", "postgresql");
  }

  @Test
  void aCheckGoingDownIsAWarningExceptWhileDraining() {
    Logger logger = (Logger) LoggerFactory.getLogger(HealthRegistry.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      HealthRegistry registry = registry();
      AtomicBoolean inventoryUp = new AtomicBoolean(true);
      AtomicBoolean databaseUp = new AtomicBoolean(true);
      registry.register(check("inventory", () -> result(inventoryUp.get())).build());
      registry.register(check("database", () -> result(databaseUp.get())).build());
      assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.UP);

      inventoryUp.set(false);
      time.advance(Duration.ofSeconds(2));
      registry.check(HealthGroup.READY);
      // In a shutdown, pools close and the application refuses traffic: expected, not a page.
      registry.markDraining();
      databaseUp.set(false);
      time.advance(Duration.ofSeconds(2));
      registry.checkAll(); // the ready group answers "draining" without running its checks

      assertThat(logged.list)
          .filteredOn(e -> e.getFormattedMessage().startsWith("Health check "))
          .extracting(e -> e.getLevel() + " " + e.getFormattedMessage())
          .containsExactly(
              "WARN Health check 'inventory' is DOWN (gone)",
              "INFO Health check 'database' is DOWN (gone) while draining");
    } finally {
      logger.detachAppender(logged);
    }
  }

  private static HealthResult result(boolean up) {
    return up ? HealthResult.up() : HealthResult.down("gone");
  }

  @Test
  void readinessFollowsTheLifecycleAndLivenessDoesNot() {
    HealthRegistry registry =
        HealthRegistry.builder().lifecycle(HealthRegistry.Lifecycle.STARTING).time(time).build();
    registries.add(registry);
    registry.register(check("db", HealthResult::up).build());
    registry.register(check("threads", HealthResult::up).groups(HealthGroup.LIVE).build());

    assertThat(registry.check(HealthGroup.READY).reason()).isEqualTo(HealthNames.STARTING);
    assertThat(registry.check(HealthGroup.STARTED).status()).isEqualTo(HealthStatus.DOWN);
    assertThat(registry.check(HealthGroup.LIVE).status()).isEqualTo(HealthStatus.UP);

    registry.markStarted();
    assertThat(registry.check(HealthGroup.READY).status()).isEqualTo(HealthStatus.UP);
    assertThat(registry.check(HealthGroup.STARTED).status()).isEqualTo(HealthStatus.UP);

    registry.markDraining();
    HealthReport draining = registry.check(HealthGroup.READY);
    assertThat(draining.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(draining.reason()).isEqualTo(HealthNames.DRAINING);
    assertThat(draining.httpStatus()).isEqualTo(503);
    assertThat(registry.check(HealthGroup.LIVE).status()).isEqualTo(HealthStatus.UP);
    assertThat(registry.check(HealthGroup.STARTED).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void statusAndDurationOfEveryCheckAreMetrics() {
    HealthRegistry registry = registry();
    registry.register(
        check("db", () -> HealthResult.down("refused"))
            .groups(HealthGroup.READY, HealthGroup.STARTED)
            .build());
    registry.register(check("disk", HealthResult::up).critical(false).build());
    assertThat(
            meters
                .get(HealthNames.CHECK_STATUS)
                .tags(HealthNames.CHECK, "db", HealthNames.GROUP, "ready")
                .gauge()
                .value())
        .isNaN();
    registry.check(HealthGroup.READY);

    assertThat(
            meters
                .get(HealthNames.CHECK_STATUS)
                .tags(
                    HealthNames.CHECK,
                    "db",
                    HealthNames.GROUP,
                    "started",
                    HealthNames.CRITICAL,
                    "true")
                .gauge()
                .value())
        .isEqualTo(0.0);
    assertThat(
            meters
                .get(HealthNames.CHECK_STATUS)
                .tags(HealthNames.CHECK, "disk", HealthNames.CRITICAL, "false")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(
            meters
                .get(HealthNames.CHECK_DURATION)
                .tags(HealthNames.CHECK, "db", HealthNames.GROUP, "ready")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            meters.get(HealthNames.GROUP_STATUS).tags(HealthNames.GROUP, "ready").gauge().value())
        .isEqualTo(0.0);
    assertThat(meters.get(HealthNames.GROUP_STATUS).tags(HealthNames.GROUP, "live").gauge().value())
        .isEqualTo(1.0);
    registry.markDraining();
    assertThat(meters.get(HealthNames.GROUP_STATUS).tags(HealthNames.GROUP, "live").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void theJsonBodyHasTheDocumentedShapeAndEscapesWhatChecksSay() {
    HealthRegistry registry = registry();
    registry.register(
        check("db", () -> HealthResult.down("said \"no\"\n").withDetail("pool", 4)).build());
    String json = registry.check(HealthGroup.READY).toJson(true);
    assertThat(json)
        .startsWith("{\"status\":\"DOWN\",\"group\":\"ready\",\"timestamp\":\"")
        .contains("\"checks\":{\"db\":{\"status\":\"DOWN\",\"critical\":true,\"duration_ms\":")
        .contains("\"reason\":\"said \\\"no\\\"\\n\"")
        .contains("\"details\":{\"pool\":4}");
    assertThat(json.lines()).hasSize(1);
  }

  @Test
  void namesAreCheckedAndUnique() {
    HealthRegistry registry = registry();
    registry.register(check("db", HealthResult::up).build());
    assertThatThrownBy(() -> registry.register(check("db", HealthResult::up).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> check("Bad Name", HealthResult::up))
        .isInstanceOf(IllegalArgumentException.class);
    registry.close();
    assertThatThrownBy(() -> registry.register(check("late", HealthResult::up).build()))
        .isInstanceOf(IllegalStateException.class);
  }
}
