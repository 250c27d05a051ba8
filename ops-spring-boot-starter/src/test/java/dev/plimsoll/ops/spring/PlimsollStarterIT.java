package dev.plimsoll.ops.spring;

import static dev.plimsoll.ops.testsupport.TestHttp.awaitStatus;
import static dev.plimsoll.ops.testsupport.TestHttp.get;
import static dev.plimsoll.ops.testsupport.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.health.HealthNames;
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
  void zeroCodeGivesMetricsProbesAndADrainBeforeTheServerStops() throws Exception {
    OtlpReceiver otlp = OtlpReceiver.start();
    SpringApplication application = new SpringApplication(TestApplication.class);
    ConfigurableApplicationContext context =
        application.run(
            "--otel.exporter.otlp.endpoint=" + otlp.endpoint(),
            "--otel.bsp.schedule.delay=50",
            "--server.port=0",
            "--spring.application.name=greeter",
            "--ops.shutdown.drain-delay=1s",
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
    // Actuator is on the class path: its MVC observation would count every request again.
    assertThat(scrape.families()).noneMatch(f -> f.startsWith("http_server_requests"));
    // Actuator keeps its own endpoints, minus a second set of probes (even on Kubernetes).
    assertThat(get(base + "/actuator/health").statusCode()).isEqualTo(200);
    assertThat(get(base + "/actuator/health/readiness").statusCode()).isEqualTo(404);
    assertThat(get(base + "/actuator/health/liveness").statusCode()).isEqualTo(404);
    assertThat(
            scrape.sum(
                "http_server_request_duration_seconds_count", Map.of("http_route", "/health/*")))
        .isGreaterThanOrEqualTo(2.0);

    // Shutdown: a slow request in flight, readiness 503 while it is served, the server after.
    CompletableFuture<HttpResponse<String>> slow = send(base + "/greet/slow?sleepMs=2500");
    Plimsoll plimsoll = context.getBean(Plimsoll.class);
    Await.until(
        "the slow request in flight",
        Duration.ofSeconds(5),
        () -> plimsoll.shutdown().inFlight().active() >= 1);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
    HttpResponse<String> draining = awaitStatus(base + "/health/ready", 503, Duration.ofSeconds(5));
    assertThat(draining.body()).contains(HealthNames.DRAINING);
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
