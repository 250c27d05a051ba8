package dev.plimsoll.ops.servlet.quickstart;

import com.zaxxer.hikari.HikariDataSource;
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.health.DataSourceHealthCheck;
import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.health.HttpHealthCheck;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.server.Server;

/** The README's snippet that adds an application's dependencies to health and shutdown. */
final class Dependencies {

  private Dependencies() {}

  static void register(Plimsoll plimsoll, HikariDataSource pool, URI paymentsUri, Server server) {
    // tag::dependencies[]
    HealthRegistry health = plimsoll.health();
    Duration timeout = Duration.ofSeconds(1);
    health.register(
        HealthCheckRegistration.builder("database", DataSourceHealthCheck.of(pool, timeout))
            .groups(HealthGroup.READY)
            .build());
    health.register(
        HealthCheckRegistration.builder("payments", HttpHealthCheck.of(paymentsUri, timeout))
            .critical(false) // when down, readiness is DEGRADED (200), not 503
            .build());
    plimsoll.shutdown().addCloser("database", pool::close);
    plimsoll.shutdown().onServerStop(server::stop); // embedded servers: stop after the drain
    // end::dependencies[]
  }
}
