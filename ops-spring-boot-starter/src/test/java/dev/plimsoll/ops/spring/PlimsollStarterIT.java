package dev.plimsoll.ops.spring;

import static dev.plimsoll.ops.testsupport.TestHttp.get;
import static dev.plimsoll.ops.testsupport.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthReport;
import dev.plimsoll.ops.metrics.MetricNames;
import dev.plimsoll.ops.shutdown.internal.InFlightRequests;
import dev.plimsoll.ops.spring.testapp.TestApplication;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.ManagementPortCheck;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import dev.plimsoll.ops.testsupport.Scrape;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter in a real Spring Boot application on a random port, with nothing configured. */
class PlimsollStarterIT {

  @Test
  void zeroCodeGivesMetricsAndProbesAndAClosingContextRefusesTrafficAtOnce() throws Exception {
    OtlpReceiver otlp = OtlpReceiver.start();
    SpringApplication application = new SpringApplication(TestApplication.class);
    ConfigurableApplicationContext context =
        application.run(
            "--otel.exporter.otlp.endpoint=" + otlp.endpoint(),
            "--otel.bsp.schedule.delay=50",
            "--server.port=0",
            "--spring.application.name=greeter",
            "--ops.shutdown.drain-delay=30s",
            "--ops.shutdown.budget=60s",
            "--ops.shutdown.timeout=5s",
            "--spring.main.cloud-platform=kubernetes",
            "--management.endpoints.web.exposure.include=health,prometheus");
    String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");

    HttpResponse<String> hello = get(base + "/greet/ada");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.headers().firstValue("X-Request-ID")).isPresent();

    // Tracing configured from otel.* (OTEL_* variables work the same way): the SERVER span arrives.
    OtlpReceiver.ReceivedSpan span =
        Await.until(
            "the SERVER span of /greet/ada",
            Duration.ofSeconds(10),
            () ->
                otlp.spans().stream()
                    .filter(x -> "/greet/{name}".equals(x.attribute("http.route")))
                    .findFirst()
                    .orElse(null));
    assertThat(span.resourceAttribute("service.name")).isEqualTo("greeter");

    // An unknown path reaches Spring's static-resource handler (pattern "/**"): no route.
    assertThat(get(base + "/no/such/page").statusCode()).isEqualTo(404);

    HttpResponse<String> ready = get(base + "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"application\":{\"status\":\"UP\"");
    assertThat(get(base + "/health/started").statusCode()).isEqualTo(200);

    Scrape scrape = Scrape.parse(get(base + "/metrics").body());
    assertThat(
            scrape.sum(
                "http_server_request_duration_seconds_count",
                Map.of("http_route", "/greet/{name}", "service_name", "greeter")))
        .isEqualTo(1.0);
    assertThat(
            scrape.sum(
                "http_server_request_duration_seconds_count",
                Map.of(
                    "http_route", MetricNames.ROUTE_UNMATCHED, "http_response_status_code", "404")))
        .isEqualTo(1.0);
    assertThat(scrape.samples()).noneMatch(s -> "/**".equals(s.label("http_route")));
    // Actuator is on the class path: its MVC observation would count every request again.
    assertThat(scrape.families()).noneMatch(f -> f.startsWith("http_server_requests"));
    // Actuator keeps its own endpoints, its probes included (ActuatorCoexistenceIT has the rest).
    assertThat(get(base + "/actuator/health").statusCode()).isEqualTo(200);
    assertThat(get(base + "/actuator/health/readiness").statusCode()).isEqualTo(200);
    assertThat(get(base + "/actuator/health/liveness").statusCode()).isEqualTo(200);
    // Probes and scrapes are not the service's users (ops.metrics.exclude-paths).
    assertThat(
            scrape.samples(
                "http_server_request_duration_seconds_count", Map.of("http_route", "/health/*")))
        .isEmpty();

    // A context closed while the JVM goes on (the drain itself is for SIGTERM: see
    // ActuatorCoexistenceIT): readiness 503 as Spring refuses traffic, the slow request in flight
    // still served by Spring's graceful web server shutdown.
    CompletableFuture<HttpResponse<String>> slow = send(base + "/greet/slow?sleepMs=2500");
    Plimsoll plimsoll = context.getBean(Plimsoll.class);
    Await.until(
        "the slow request in flight",
        Duration.ofSeconds(5),
        () -> InFlightRequests.of(plimsoll.shutdown()).active() >= 1);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
    // Read from the registry the probe serves: with no drain outside a JVM shutdown, Tomcat's
    // graceful shutdown may stop accepting connections as soon as Spring refuses traffic.
    HealthReport refusing =
        Await.until(
            "readiness 503 as Spring refuses traffic",
            Duration.ofSeconds(5),
            () -> {
              HealthReport report = plimsoll.health().check(HealthGroup.READY);
              return report.httpStatus() == 503 ? report : null;
            });
    assertThat(refusing.toJson(true)).contains(ApplicationReadinessCheck.REFUSING_TRAFFIC);
    assertThat(plimsoll.shutdown().isDraining()).isFalse();
    assertThat(slow.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    closing.get(30, TimeUnit.SECONDS);
    assertThat(context.isActive()).isFalse();
    otlp.close();
  }

  @Test
  void withAManagementPortMetricsAndHealthDetailsAnswerOnlyThere() {
    int managementPort = FreePorts.find();
    try (ConfigurableApplicationContext context =
        new SpringApplication(TestApplication.class)
            .run(
                "--server.port=0",
                "--ops.management.port=" + managementPort,
                "--ops.health.show-details=true",
                "--ops.shutdown.drain-delay=0s")) {
      String main = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
      String admin = "http://127.0.0.1:" + managementPort;

      assertThat(get(main + "/greet/ada").statusCode()).isEqualTo(200);
      ManagementPortCheck.assertSplit(main, admin, Map.of("http_route", "/greet/{name}"));
    }
  }
}
