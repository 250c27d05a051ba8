package dev.plimsoll.ops.spring.coexist;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that already ran Actuator before it added the starter: Actuator, the Prometheus
 * registry, a pooled {@code DataSource} and two health indicators of its own ({@code inventory},
 * which the tests put in Actuator's readiness group, and {@code mailer}, which they do not). Run as
 * a child JVM through {@link #main}, it prints {@code READY <port>} on standard error.
 */
@SpringBootApplication
public class CoexistingApplication {

  /**
   * Whether {@code inventory} reports UP; the tests switch it through {@code /inventory/up|down}.
   */
  static final AtomicBoolean INVENTORY_UP = new AtomicBoolean(true);

  /** The application's own readiness dependency. */
  @Bean
  HealthIndicator inventoryHealthIndicator() {
    return () -> INVENTORY_UP.get() ? Health.up().build() : Health.down().build();
  }

  /** An indicator outside Actuator's probe groups. */
  @Bean
  HealthIndicator mailerHealthIndicator() {
    return () -> Health.up().withDetail("host", "mail.internal").build();
  }

  /** An endpoint and a switch for the inventory check. */
  @RestController
  static class Endpoints {
    @GetMapping("/hello")
    String hello() {
      return "hello";
    }

    @PostMapping("/inventory/{state}")
    String inventory(@PathVariable String state) {
      INVENTORY_UP.set("up".equals(state));
      return state;
    }
  }

  /** Starts it and prints {@code READY <port>} on standard error. */
  public static void main(String[] args) throws InterruptedException {
    ConfigurableApplicationContext context =
        SpringApplication.run(CoexistingApplication.class, args);
    System.err.println("READY " + context.getEnvironment().getProperty("local.server.port"));
    System.err.flush();
    Thread.currentThread().join();
  }
}
