package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.Redaction;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Checks that a {@link DataSource} hands out a valid connection within the timeout. The details
 * name the database and its URL (credentials removed) and, for HikariCP, the active, idle, pending
 * and maximum connections of the pool.
 */
public final class DataSourceHealthCheck implements HealthCheck {

  private final DataSource dataSource;
  private final int validationSeconds;

  private DataSourceHealthCheck(DataSource dataSource, Duration validationTimeout) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    requireNonNull(validationTimeout, "validationTimeout");
    this.validationSeconds = (int) Math.max(1, (validationTimeout.toMillis() + 999) / 1000);
  }

  /**
   * A check of {@code dataSource} that asks the driver to validate the connection within {@code
   * validationTimeout} (rounded up to whole seconds, as JDBC counts them).
   */
  public static DataSourceHealthCheck of(DataSource dataSource, Duration validationTimeout) {
    return new DataSourceHealthCheck(dataSource, validationTimeout);
  }

  @Override
  public HealthResult check() throws SQLException {
    HealthResult result;
    try (Connection connection = dataSource.getConnection()) {
      if (connection.isValid(validationSeconds)) {
        result = HealthResult.up();
      } else {
        result = HealthResult.down("connection not valid");
      }
      result = withDatabase(result, connection);
    }
    return withPool(result);
  }

  private static HealthResult withDatabase(HealthResult result, Connection connection) {
    try {
      DatabaseMetaData meta = connection.getMetaData();
      return result
          .withDetail("database", meta.getDatabaseProductName())
          .withDetail("url", Redaction.url(String.valueOf(meta.getURL())));
    } catch (SQLException | RuntimeException e) {
      return result;
    }
  }

  private HealthResult withPool(HealthResult result) {
    Map<String, Object> pool = HikariPool.details(dataSource);
    return pool.isEmpty() ? result : result.withDetail("pool", pool);
  }

  @Override
  public String toString() {
    return "DataSourceHealthCheck";
  }
}
