package dev.plimsoll.ops.spring.otelapp;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application with the starter beside {@code spring-boot-starter-opentelemetry}: its
 * controller does its work inside a Micrometer observation, which Spring Boot's tracing turns into
 * a span.
 */
@SpringBootApplication
public class TracedApplication {

  /** The name of the application's own observation, and so of its span. */
  public static final String WORK = "work";

  /** Greets inside an observation. */
  @RestController
  static class Greetings {
    private final ObservationRegistry observations;

    Greetings(ObservationRegistry observations) {
      this.observations = observations;
    }

    @GetMapping("/greet/{name}")
    String greet(@PathVariable String name) {
      return Observation.createNotStarted(WORK, observations).observe(() -> "hello " + name);
    }
  }
}
