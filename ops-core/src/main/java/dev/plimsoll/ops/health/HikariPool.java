package dev.plimsoll.ops.health;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Pool sizes of a HikariCP data source, read only when HikariCP is on the class path. */
final class HikariPool {

  private static final boolean PRESENT = present();

  private HikariPool() {}

  /** Active, idle, pending and maximum connections, or nothing when it is not a Hikari pool. */
  static Map<String, Object> details(DataSource dataSource) {
    if (!PRESENT) {
      return Map.of();
    }
    try {
      return Reader.read(dataSource);
    } catch (RuntimeException | LinkageError e) {
      return Map.of();
    }
  }

  private static boolean present() {
    try {
      Class.forName("com.zaxxer.hikari.HikariDataSource", false, HikariPool.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Touches HikariCP's classes; loaded only after {@link #PRESENT} said they exist. */
  private static final class Reader {
    static Map<String, Object> read(DataSource dataSource) {
      HikariDataSource hikari;
      try {
        // Also finds the pool behind tracing or SQL-logging wrappers.
        if (dataSource instanceof HikariDataSource direct) {
          hikari = direct;
        } else if (dataSource.isWrapperFor(HikariDataSource.class)) {
          hikari = dataSource.unwrap(HikariDataSource.class);
        } else {
          return Map.of();
        }
      } catch (java.sql.SQLException e) {
        return Map.of();
      }
      HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
      Map<String, Object> details = new LinkedHashMap<>();
      if (pool != null) {
        details.put("active", pool.getActiveConnections());
        details.put("idle", pool.getIdleConnections());
        details.put("pending", pool.getThreadsAwaitingConnection());
      }
      details.put("max", hikari.getMaximumPoolSize());
      return details;
    }
  }
}
