package dev.plimsoll.ops.benchmarks.spring;

import dev.plimsoll.ops.benchmarks.DiscardingSpanExporter;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.management.ManagementFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot app of the load and startup harnesses: one controller answering {@code GET
 * /api/orders/{id}} with the same small JSON body as {@code LoadServer}. It references no Plimsoll
 * class, so {@code load.sh} and {@code startup.sh} run it on the class path with the starter and
 * without it. On startup it prints {@code ready-ms=<JVM uptime at ApplicationReadyEvent>} on
 * standard error.
 */
@SpringBootApplication
public class SpringLoadApp {

  private static final String BODY = "{\"id\":42,\"status\":\"shipped\",\"items\":3}";

  public static void main(String[] args) {
    SpringApplication.run(SpringLoadApp.class, args);
  }

  @EventListener(ApplicationReadyEvent.class)
  void ready() {
    System.err.println("ready-ms=" + ManagementFactory.getRuntimeMXBean().getUptime());
  }

  /** The trivial endpoint. */
  @RestController
  static class Orders {
    @GetMapping("/api/orders/{id}")
    ResponseEntity<String> order(@PathVariable("id") long id) {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(BODY);
    }
  }

  /**
   * With the starter present, spans are sampled into a batch processor whose exporter discards
   * them, as in {@code LoadServer}'s Plimsoll variants (no collector to wait for).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.plimsoll.ops.spring.PlimsollAutoConfiguration")
  static class DiscardingTracing {
    @Bean
    OpenTelemetry openTelemetry() {
      return DiscardingSpanExporter.sdk(true);
    }
  }
}
