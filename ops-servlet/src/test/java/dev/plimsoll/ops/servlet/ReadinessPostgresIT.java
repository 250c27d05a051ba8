package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.plimsoll.ops.config.Redaction;
import dev.plimsoll.ops.health.DataSourceHealthCheck;
import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.LocalServices;
import dev.plimsoll.ops.testsupport.TcpFaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Readiness and liveness of a real Jetty service whose critical {@code database} check uses a
 * HikariCP pool to a real PostgreSQL, reached through a {@link TcpFaultProxy} that refuses, hangs,
 * answers late or flaps on demand. Jetty runs with a small thread pool, so that probes stuck on the
 * database would show as ordinary requests left waiting.
 */
class ReadinessPostgresIT {

  private static final String READY = "/health/ready";
  private static final String LIVE = "/health/live";

  /** Never a real password (trust auth ignores it); it must not appear in a body or a log line. */
  private static final String SECRET = "plimsoll-FAKE-pg-secret-4f9c";

  private static final String POOL_NAME = "readiness-it-pool";
  private static final int POOL_SIZE = 2;
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration TTL = Duration.ofSeconds(1);

  /** How much longer than the check's timeout a probe may take while the database hangs. */
  private static final Duration MARGIN = Duration.ofMillis(1500);

  private static final Duration RECOVERY = Duration.ofSeconds(15);
  private static final int BURST = 500;

  /** Jetty's pool: acceptor and selectors take a few, the rest serve requests. */
  private static final int APP_THREADS = 24;

  private static final int STORM_PROBES = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TcpFaultProxy proxy;
  private static TestApp app;
  private static CountingPool pool;

  @BeforeAll
  static void start() throws Exception {
    proxy = TcpFaultProxy.start(LocalServices.requirePostgres());
    app =
        new TestApp(
            Map.of(
                "ops.health.show-details", "true",
                "ops.shutdown.hook", "false",
                // Only the database decides readiness here, not this machine's free disk space.
                "ops.health.disk.min-free-mb", "0"),
            APP_THREADS);

    HikariConfig config = new HikariConfig();
    config.setPoolName(POOL_NAME);
    config.setJdbcUrl(
        "jdbc:postgresql://127.0.0.1:"
            + proxy.port()
            + "/test?user=postgres&password="
            + SECRET
            + "&socketTimeout=3");
    config.setMaximumPoolSize(POOL_SIZE);
    // Longer than the check's timeout, so a hang is reported by the health registry ("timeout")
    // before the pool gives up with an error of its own.
    config.setConnectionTimeout(1500);
    config.setValidationTimeout(500);
    pool = new CountingPool(config);
    app.plimsoll.shutdown().addCloser("database", pool::close);

    app.plimsoll
        .health()
        .register(
            HealthCheckRegistration.builder(
                    "database",
                    // The driver's own validation outlasts the check's timeout for the same reason.
                    DataSourceHealthCheck.of(pool, CHECK_TIMEOUT.multipliedBy(2)))
                .groups(HealthGroup.READY)
                .critical(true)
                .timeout(CHECK_TIMEOUT)
                .cacheTtl(TTL)
                .build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close(); // runs the "database" closer, which closes the pool
    } else if (pool != null) {
      pool.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @BeforeEach
  void databaseAvailable() {
    proxy.heal();
    awaitReady(200, "readiness UP before the test");
  }

  @AfterEach
  void secretNeverLogged() {
    assertThat(app.logs.lines()).noneMatch(line -> line.contains(SECRET));
  }

  @Test
  void healthyDatabaseIsReadyWithPoolSizesAndTheUrlWithoutPassword() {
    Probe ready = probe(READY);

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().path("status").asString()).isEqualTo("UP");
    JsonNode database = ready.json().path("checks").path("database");
    assertThat(database.path("status").asString()).isEqualTo("UP");
    assertThat(database.path("critical").asBoolean()).isTrue();
    JsonNode details = database.path("details");
    assertThat(details.path("database").asString()).isEqualTo("PostgreSQL");
    assertThat(details.path("url").asString())
        .startsWith("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test")
        .contains("password=" + Redaction.MASK)
        .doesNotContain(SECRET);
    JsonNode sizes = details.path("pool");
    for (String size : List.of("active", "idle", "pending", "max")) {
      assertThat(sizes.path(size).isInt()).as("pool.%s in %s", size, sizes).isTrue();
    }
    assertThat(sizes.path("max").asInt()).isEqualTo(POOL_SIZE);
    assertThat(sizes.path("active").asInt() + sizes.path("idle").asInt()).isBetween(1, POOL_SIZE);
    // Nothing else uses the pool: no thread waits for a connection.
    assertThat(sizes.path("pending").asInt()).isZero();
    // The pool really goes through the proxy, so the faults below reach it.
    assertThat(proxy.acceptedConnections()).isPositive();
    // The pool's own log lines are captured, so the check for the secret in @AfterEach has teeth.
    assertThat(app.logs.lines()).anyMatch(line -> line.contains(POOL_NAME));
    assertLive();
  }

  /**
   * Uses the TTL a service runs with (1 s) rather than a long one, which would only show that the
   * first miss runs once: this also shows the result is re-run at most once per TTL while the burst
   * lasts. The burst starts on an expired result so that it races for the first run; the runs are
   * counted against elapsed / TTL + 1, and consecutive runs must be at least one TTL apart.
   */
  @Test
  void burstOfReadinessProbesRunsTheCheckAtMostOncePerTtl() {
    // Open the client's connections first, so the burst is not spread out by 500 TCP handshakes.
    assertThat(sendConcurrently(LIVE, BURST)).allMatch(r -> r.statusCode() == 200);
    // Start on an expired result, so the whole burst races for the first run.
    Await.until(
        "the cached database result to expire",
        RECOVERY,
        () -> pool.nanosSinceLastRequest() > TTL.toNanos() + 100_000_000L);
    int before = pool.requests().size();

    long start = System.nanoTime();
    List<HttpResponse<String>> responses = sendConcurrently(READY, BURST);
    long elapsed = System.nanoTime() - start;

    List<Long> requests = pool.requests();
    List<Long> runs = requests.subList(before, requests.size());
    assertThat(responses).hasSize(BURST);
    for (HttpResponse<String> response : responses) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"status\":\"UP\"").doesNotContain(SECRET);
    }
    long allowed = elapsed / TTL.toNanos() + 1;
    System.out.printf(
        "burst: %d readiness requests in %d ms, %d database check runs (allowed %d)%n",
        BURST, elapsed / 1_000_000, runs.size(), allowed);
    assertThat(runs).hasSizeBetween(1, (int) allowed);
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i) - runs.get(i - 1))
          .as("nanos between runs %d and %d", i - 1, i)
          .isGreaterThanOrEqualTo(TTL.toNanos());
    }
    assertLive();
  }

  @Test
  void refusedConnectionsTakeReadinessDownWhileLivenessStaysUp() {
    int acceptedBefore = proxy.acceptedConnections();
    proxy.cut();

    // The result cached before the cut may be served for up to one TTL.
    Probe ready = awaitReady(503, "readiness DOWN after the cut");
    assertDatabaseDown(ready);
    assertThat(ready.took()).isLessThan(CHECK_TIMEOUT.plus(MARGIN));
    assertLive();
    // The pool tries to reconnect and each attempt is reset: none gets through.
    Await.until(
        "the pool to try to reconnect",
        RECOVERY,
        () -> proxy.acceptedConnections() > acceptedBefore);
    assertThat(proxy.openConnections()).isZero();

    for (Probe later : probeFor(TTL.multipliedBy(3))) {
      assertThat(later.status()).as("readiness while cut").isEqualTo(503);
      assertDatabaseDown(later);
      assertThat(later.took()).isLessThan(CHECK_TIMEOUT.plus(MARGIN));
    }
  }

  @Test
  void hangingDatabaseAnswersReadinessWithinTheTimeoutPlusASmallMargin() {
    proxy.stall();

    List<Probe> probes = new ArrayList<>();
    Probe first =
        awaitProbe(
            "readiness DOWN while the database hangs",
            p -> {
              probes.add(p);
              return p.status() == 503;
            });
    assertDatabaseDown(first);
    assertThat(first.json().path("checks").path("database").path("reason").asString())
        .isEqualTo(HealthNames.TIMEOUT);
    // This probe ran the check and waited for the hung database until the timeout cut it off.
    assertThat(first.took()).isGreaterThanOrEqualTo(CHECK_TIMEOUT);

    // Later probes, over several TTLs, stay down and fast: while a hung run still holds its thread
    // no other starts, and each new run is cut off at the timeout again.
    List<Probe> later = probeFor(TTL.multipliedBy(4));
    for (Probe probe : later) {
      assertThat(probe.status()).as("readiness while hanging").isEqualTo(503);
      assertThat(probe.json().path("checks").path("database").path("reason").asString())
          .isEqualTo(HealthNames.TIMEOUT);
    }
    probes.addAll(later);
    Duration slowest = probes.stream().map(Probe::took).max(Duration::compareTo).orElseThrow();
    System.out.printf(
        "hang: %d readiness probes, first DOWN after %d ms, slowest %d ms, all: %s%n",
        probes.size(),
        first.took().toMillis(),
        slowest.toMillis(),
        probes.stream().map(p -> p.took().toMillis()).toList());
    assertThat(slowest).isLessThan(CHECK_TIMEOUT.plus(MARGIN));
  }

  @Test
  void readinessRecoversWhenTheDatabaseAcceptsConnectionsAgain() {
    proxy.cut();
    assertDatabaseDown(awaitReady(503, "readiness DOWN after the cut"));
    assertLive();

    proxy.heal();
    long healed = System.nanoTime();
    Probe ready = awaitReady(200, "readiness UP after the cut heals");
    System.out.printf("recovery after cut: %d ms%n", (System.nanoTime() - healed) / 1_000_000);
    assertDatabaseUp(ready);
    assertLive();
  }

  @Test
  void readinessRecoversWhenTheDatabaseStopsHanging() {
    proxy.stall();
    assertDatabaseDown(awaitReady(503, "readiness DOWN while the database hangs"));
    assertLive();

    proxy.heal();
    long healed = System.nanoTime();
    Probe ready = awaitReady(200, "readiness UP after the hang ends");
    System.out.printf("recovery after hang: %d ms%n", (System.nanoTime() - healed) / 1_000_000);
    assertDatabaseUp(ready);
    assertLive();
  }

  @Test
  void slowDatabaseWithinTheTimeoutStaysReady() {
    // Each way: a round trip of 100 ms, so the check's few round trips stay well inside its 1 s
    // timeout even on a loaded machine.
    Duration delay = Duration.ofMillis(50);
    proxy.delay(delay);

    List<Probe> probes = probeFor(TTL.multipliedBy(4));
    Duration slowest = slowest(probes);
    System.out.printf(
        "slow database (+%d ms each way): %d readiness probes, slowest %d ms, statuses %s%n",
        delay.toMillis(), probes.size(), slowest.toMillis(), statuses(probes));
    for (Probe probe : probes) {
      assertDatabaseUp(probe);
    }
    assertThat(slowest)
        .as("the probe that ran the check waited for at least one round trip")
        .isGreaterThanOrEqualTo(delay.multipliedBy(2))
        .isLessThan(CHECK_TIMEOUT.plus(MARGIN));
  }

  @Test
  void slowDatabasePastTheTimeoutIsNotReadyThenRecovers() {
    proxy.delay(Duration.ofMillis(800)); // a round trip of 1.6 s, past the 1 s timeout

    List<Probe> probes = new ArrayList<>();
    Probe down =
        awaitProbe(
            "readiness DOWN while the database answers too late",
            p -> {
              probes.add(p);
              return p.status() == 503;
            });
    assertDatabaseDown(down);
    assertThat(down.json().path("checks").path("database").path("reason").asString())
        .isEqualTo(HealthNames.TIMEOUT);
    probes.addAll(probeFor(TTL.multipliedBy(3)));
    assertThat(probes.subList(probes.indexOf(down), probes.size()))
        .as("readiness while the database is too slow")
        .allMatch(p -> p.status() == 503);

    proxy.delay(Duration.ZERO);
    long healed = System.nanoTime();
    Probe ready = awaitReady(200, "readiness UP once the database is fast again");
    long recovery = (System.nanoTime() - healed) / 1_000_000;
    System.out.printf(
        "too slow database (+800 ms each way): %d probes, slowest %d ms; recovery %d ms%n",
        probes.size(), slowest(probes).toMillis(), recovery);
    assertDatabaseUp(ready);
    assertThat(slowest(probes)).isLessThan(CHECK_TIMEOUT.plus(MARGIN));
  }

  @Test
  void flappingDatabaseIsReportedPhaseByPhaseAndReadinessRecovers() {
    List<Probe> probes = new ArrayList<>();
    List<Long> downAfter = new ArrayList<>();
    List<Long> upAfter = new ArrayList<>();
    for (int cycle = 0; cycle < 3; cycle++) {
      proxy.cut();
      long cut = System.nanoTime();
      assertDatabaseDown(awaitStatus(503, "readiness DOWN after cut " + cycle, probes));
      downAfter.add((System.nanoTime() - cut) / 1_000_000);
      proxy.heal();
      long healed = System.nanoTime();
      assertDatabaseUp(awaitStatus(200, "readiness UP after heal " + cycle, probes));
      upAfter.add((System.nanoTime() - healed) / 1_000_000);
    }

    // Faster than the TTL and the timeout: every answer is one of the two, and prompt.
    Duration flapping = TTL.multipliedBy(4);
    proxy.flap(Duration.ofMillis(300), Duration.ofMillis(300));
    List<Probe> fast = probeFor(flapping);
    proxy.heal();
    long healed = System.nanoTime();
    assertDatabaseUp(awaitStatus(200, "readiness UP after flapping", probes));
    long recovery = (System.nanoTime() - healed) / 1_000_000;
    probes.addAll(fast);

    System.out.printf(
        "flapping database: 3 cut/heal cycles, DOWN after %s ms, UP after %s ms; 300/300 ms"
            + " flapping for %d ms: statuses %s; recovery %d ms; %d probes, slowest %d ms%n",
        downAfter,
        upAfter,
        flapping.toMillis(),
        statuses(fast),
        recovery,
        probes.size(),
        slowest(probes).toMillis());
    assertThat(fast).extracting(Probe::status).allMatch(s -> s == 200 || s == 503);
    assertThat(slowest(probes)).isLessThan(CHECK_TIMEOUT.plus(MARGIN));
  }

  /**
   * A probe storm while the database hangs: each probe waits at most for the check's timeout, and
   * never more than one run of the check is under way, so the request threads stay available to the
   * application's own requests, which keep being answered throughout.
   */
  @Test
  void hangingDatabaseDoesNotTieUpTheRequestThreads() throws Exception {
    proxy.stall();
    awaitReady(503, "readiness DOWN while the database hangs");
    Duration storm = TTL.multipliedBy(5);
    long end = System.nanoTime() + storm.toNanos();
    List<HttpResponse<String>> probes = new CopyOnWriteArrayList<>();
    AtomicInteger queued = new AtomicInteger();
    AtomicInteger waiting = new AtomicInteger();
    CompletableFuture<Void> prober =
        CompletableFuture.runAsync(
            () -> {
              while (System.nanoTime() < end) {
                probes.addAll(sendConcurrently(READY, STORM_PROBES));
              }
            });
    CompletableFuture<Void> watcher =
        CompletableFuture.runAsync(
            () -> {
              while (System.nanoTime() < end) {
                queued.accumulateAndGet(app.threads.getQueueSize(), Math::max);
                waiting.accumulateAndGet(threadsWaitingForTheCheck(), Math::max);
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
              }
            });
    List<Long> ordinary = new ArrayList<>();
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      HttpResponse<String> hello = app.get("/hello");
      ordinary.add((System.nanoTime() - start) / 1_000_000);
      assertThat(hello.statusCode()).as("an ordinary request during the storm").isEqualTo(200);
    }
    prober.get(30, java.util.concurrent.TimeUnit.SECONDS);
    watcher.get(30, java.util.concurrent.TimeUnit.SECONDS);

    List<Long> sorted = ordinary.stream().sorted().toList();
    long slowestOrdinary = sorted.get(sorted.size() - 1);
    long medianOrdinary = sorted.get(sorted.size() / 2);
    System.out.printf(
        "probe storm on a hung database (%d Jetty threads): %d readiness probes (%s),"
            + " %d ordinary requests answered meanwhile, slowest %d ms, median %d ms;"
            + " most jobs waiting for a thread %d, most threads waiting for the check %d%n",
        APP_THREADS,
        probes.size(),
        probes.stream().map(HttpResponse::statusCode).distinct().toList(),
        ordinary.size(),
        slowestOrdinary,
        medianOrdinary,
        queued.get(),
        waiting.get());
    assertThat(probes).isNotEmpty().allMatch(r -> r.statusCode() == 503);
    assertThat(ordinary.size()).as("ordinary requests answered during the storm").isGreaterThan(20);
    // Probes answered at once leave the threads free: only the probe that starts a run waits for
    // it. Were every probe to wait for the run under way, all the request threads would be seen
    // waiting inside the check (a second at a time, sampled every 20 ms). How many jobs queue for a
    // thread is printed, not bounded: on a loaded machine a burst of probes queues however fast
    // each is answered (57 of 100 once on CI).
    assertThat(waiting.get())
        .as("request threads waiting at once for the check's run, of %d", APP_THREADS)
        .isLessThanOrEqualTo(1);
    assertLive();
  }

  /** The threads of this JVM blocked in a probe's wait for a run of a check. */
  private static int threadsWaitingForTheCheck() {
    int waiting = 0;
    for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
      for (StackTraceElement frame : stack) {
        if (frame.getClassName().endsWith(".CheckRunner")
            && frame.getMethodName().equals("await")) {
          waiting++;
          break;
        }
      }
    }
    return waiting;
  }

  private static Duration slowest(List<Probe> probes) {
    return probes.stream().map(Probe::took).max(Duration::compareTo).orElseThrow();
  }

  private static List<Integer> statuses(List<Probe> probes) {
    return probes.stream().map(Probe::status).distinct().toList();
  }

  /** Like {@link #awaitReady}, keeping every probe in {@code probes}. */
  private static Probe awaitStatus(int status, String what, List<Probe> probes) {
    return awaitProbe(
        what,
        p -> {
          probes.add(p);
          return p.status() == status;
        });
  }

  private static void assertDatabaseDown(Probe ready) {
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().path("status").asString()).isEqualTo("DOWN");
    JsonNode database = ready.json().path("checks").path("database");
    assertThat(database.path("status").asString())
        .as("database in %s", ready.json())
        .isEqualTo("DOWN");
    assertThat(database.path("reason").asString()).isNotBlank();
  }

  private static void assertDatabaseUp(Probe ready) {
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().path("status").asString()).isEqualTo("UP");
    assertThat(ready.json().path("checks").path("database").path("status").asString())
        .isEqualTo("UP");
  }

  /** Liveness does not depend on the database: 200 UP whatever the proxy does. */
  private static void assertLive() {
    Probe live = probe(LIVE);
    assertThat(live.status()).as("liveness %s", live.json()).isEqualTo(200);
    assertThat(live.json().path("status").asString()).isEqualTo("UP");
    assertThat(live.json().path("checks").has("database")).isFalse();
  }

  private static Probe awaitReady(int status, String what) {
    return awaitProbe(what, p -> p.status() == status);
  }

  /** Probes readiness, and liveness each time, until {@code done} accepts a readiness probe. */
  private static Probe awaitProbe(String what, Predicate<Probe> done) {
    return Await.until(
        what,
        RECOVERY,
        () -> {
          Probe ready = probe(READY);
          assertLive();
          return done.test(ready) ? ready : null;
        });
  }

  /** Probes readiness, and liveness each time, for {@code span}. */
  private static List<Probe> probeFor(Duration span) {
    List<Probe> probes = new ArrayList<>();
    long end = System.nanoTime() + span.toNanos();
    while (System.nanoTime() < end) {
      probes.add(probe(READY));
      assertLive();
      pace();
    }
    return probes;
  }

  /** One request, timed; its body must never contain the password. */
  private static Probe probe(String path) {
    long start = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = app.get(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(response.body()).as("body of %s", path).doesNotContain(SECRET);
    return new Probe(response.statusCode(), JSON.readTree(response.body()), took);
  }

  private static List<HttpResponse<String>> sendConcurrently(String path, int count) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(app.base + path)).timeout(Duration.ofSeconds(30)).build();
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      futures.add(app.client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  /** Spaces probes out; nothing is awaited. */
  private static void pace() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Probe(int status, JsonNode json, Duration took) {}

  /**
   * The Hikari pool, recording when {@code getConnection()} is called: each run of the check calls
   * it once. A subclass rather than a wrapper, so the check still sees a {@link HikariDataSource}
   * and reports the pool's sizes.
   */
  private static final class CountingPool extends HikariDataSource {
    private final List<Long> requests = new CopyOnWriteArrayList<>();

    CountingPool(HikariConfig config) {
      super(config);
    }

    @Override
    public Connection getConnection() throws SQLException {
      requests.add(System.nanoTime());
      return super.getConnection();
    }

    /** When each call came, in {@link System#nanoTime()}, oldest first. */
    List<Long> requests() {
      return List.copyOf(requests);
    }

    long nanosSinceLastRequest() {
      List<Long> all = requests();
      return all.isEmpty() ? Long.MAX_VALUE : System.nanoTime() - all.get(all.size() - 1);
    }
  }
}
