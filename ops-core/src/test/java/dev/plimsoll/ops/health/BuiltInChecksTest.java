package dev.plimsoll.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInChecksTest {

  private static final String SECRET_URL = "jdbc:postgresql://app:hunter2@db/x";

  @TempDir Path dir;

  @Test
  void diskSpaceIsUpWithFreeAndTotalWhenNothingIsRequired() throws Exception {
    HealthResult result = DiskSpaceHealthCheck.of(dir, 0).check();

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.details()).containsEntry("min_free_bytes", 0L);
    assertThat((Long) result.details().get("total_bytes")).isPositive();
    assertThat((Long) result.details().get("free_bytes"))
        .isNotNegative()
        .isLessThanOrEqualTo((Long) result.details().get("total_bytes"));
  }

  @Test
  void diskSpaceIsDownWhenLessIsFreeThanRequired() throws Exception {
    HealthResult result = DiskSpaceHealthCheck.of(dir, Long.MAX_VALUE).check();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.reason()).isEqualTo("low disk space");
    assertThat(result.details()).containsKeys("free_bytes", "total_bytes");
  }

  @Test
  void deadlockCheckIsUpWithoutADeadlock() {
    assertThat(DeadlockHealthCheck.create().check()).isEqualTo(HealthResult.up());
  }

  @Test
  void deadlockCheckIsDownNamingBothThreadsOfARealDeadlock() throws Exception {
    ReentrantLock first = new ReentrantLock();
    ReentrantLock second = new ReentrantLock();
    CountDownLatch bothHoldOne = new CountDownLatch(2);
    Thread a = lockBoth("plimsoll-deadlock-a", first, second, bothHoldOne);
    Thread b = lockBoth("plimsoll-deadlock-b", second, first, bothHoldOne);
    DeadlockHealthCheck check = DeadlockHealthCheck.create();
    try {
      a.start();
      b.start();
      assertThat(bothHoldOne.await(5, TimeUnit.SECONDS)).isTrue();
      HealthResult result = check.check();
      // Both threads may still be on their way to the second lock; wait until the JVM sees it.
      for (int i = 0; i < 500 && result.status() == HealthStatus.UP; i++) {
        Thread.sleep(10);
        result = check.check();
      }

      assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(result.reason()).isEqualTo("deadlock");
      assertThat(result.details()).containsEntry("count", 2);
      assertThat(result.details().get("threads"))
          .asInstanceOf(InstanceOfAssertFactories.list(String.class))
          .containsExactlyInAnyOrder("plimsoll-deadlock-a", "plimsoll-deadlock-b");
    } finally {
      a.interrupt();
      b.interrupt();
      a.join(5_000);
      b.join(5_000);
    }
    assertThat(a.isAlive() || b.isAlive()).isFalse();
    assertThat(check.check().status()).isEqualTo(HealthStatus.UP);
  }

  private static Thread lockBoth(
      String name, ReentrantLock held, ReentrantLock wanted, CountDownLatch bothHoldOne) {
    Thread thread =
        new Thread(
            () -> {
              try {
                held.lockInterruptibly();
                try {
                  bothHoldOne.countDown();
                  bothHoldOne.await();
                  wanted.lockInterruptibly();
                  wanted.unlock();
                } finally {
                  held.unlock();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    thread.setDaemon(true);
    return thread;
  }

  @Test
  void dataSourceFailureIsDownWithTheExceptionAndNoCredentials() {
    DataSource failing =
        new StubDataSource(
            () -> {
              throw new SQLException("Connection to " + SECRET_URL + " refused");
            });

    String json;
    HealthReport report;
    try (HealthRegistry registry = HealthRegistry.builder().build()) {
      registry.register(
          "db", DataSourceHealthCheck.of(failing, Duration.ofSeconds(1)), HealthGroup.READY);
      report = registry.check(HealthGroup.READY);
      json = report.toJson(true);
    }

    assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(report.checks())
        .singleElement()
        .satisfies(
            check -> {
              assertThat(check.status()).isEqualTo(HealthStatus.DOWN);
              assertThat(check.reason()).isEqualTo("SQLException");
              assertThat(check.details().get("error")).asString().contains("jdbc:postgresql://");
            });
    assertThat(json).contains("\"reason\":\"SQLException\"").contains("db/x");
    assertThat(json).doesNotContain("hunter2");
    assertThat(report.toString()).doesNotContain("hunter2");
  }

  @Test
  void dataSourceIsDownWhenTheConnectionIsNotValid() throws Exception {
    boolean[] closed = {false};
    Connection invalid =
        proxy(
            Connection.class,
            (name, args) ->
                switch (name) {
                  case "isValid" -> false;
                  case "close" -> closed[0] = true;
                  case "getMetaData" ->
                      proxy(
                          DatabaseMetaData.class,
                          (meta, ignored) ->
                              switch (meta) {
                                case "getDatabaseProductName" -> "PostgreSQL";
                                case "getURL" -> SECRET_URL + "?password=hunter2";
                                default -> throw new SQLFeatureNotSupportedException(meta);
                              });
                  default -> throw new SQLFeatureNotSupportedException(name);
                });

    HealthResult result =
        DataSourceHealthCheck.of(new StubDataSource(() -> invalid), Duration.ofSeconds(1)).check();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.reason()).isEqualTo("connection not valid");
    assertThat(result.details()).containsEntry("database", "PostgreSQL");
    assertThat(result.details().get("url"))
        .asString()
        .startsWith("jdbc:postgresql://")
        .doesNotContain("hunter2");
    assertThat(closed[0]).as("connection closed").isTrue();
  }

  /** A method of a stubbed JDBC interface, by name. */
  @FunctionalInterface
  private interface Answer {
    Object answer(String method, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Answer answer) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> answer.answer(method.getName(), args)));
  }

  @FunctionalInterface
  private interface ConnectionSource {
    Connection get() throws SQLException;
  }

  /** A data source that hands out whatever {@code connections} gives, with no database behind. */
  private static final class StubDataSource implements DataSource {
    private final ConnectionSource connections;

    StubDataSource(ConnectionSource connections) {
      this.connections = connections;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return connections.get();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return connections.get();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
