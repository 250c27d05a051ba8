package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.logging.PlimsollJsonEncoder;
import dev.plimsoll.ops.spring.otelapp.TracedApplication;
import dev.plimsoll.ops.testsupport.LogCapture;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import dev.plimsoll.ops.testsupport.OtlpReceiver.ReceivedSpan;
import dev.plimsoll.ops.testsupport.TracedRequests;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter beside {@code spring-boot-starter-opentelemetry} with tracing on (every request
 * sampled, spans exported by Spring Boot's own OTLP exporter): Spring Boot's {@code OpenTelemetry}
 * bean is the only SDK, each request has one SERVER span, the application's observations are its
 * children, and the access-log line and the exemplar carry its IDs. Run by its own failsafe
 * execution: the other tests run without Spring Boot's OpenTelemetry modules on the class path.
 */
class SpringOpenTelemetryIT {

  @Test
  void oneSdkOneServerSpanPerRequestAndLogsAndExemplarsPointAtIt() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start()) {
      SpringApplication application = new SpringApplication(TracedApplication.class);
      ConfigurableApplicationContext context =
          application.run(
              "--server.port=0",
              "--spring.application.name=traced",
              "--management.tracing.sampling.probability=1.0",
              "--management.opentelemetry.tracing.export.otlp.endpoint="
                  + otlp.endpoint()
                  + "/v1/traces",
              "--management.otlp.metrics.export.enabled=false",
              "--ops.shutdown.drain-delay=0s");
      PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
      encoder.setServiceName("traced");
      encoder.setServiceVersion("1");
      encoder.setEnvironment("test");
      try (LogCapture logs = LogCapture.attach(encoder)) {
        // One SDK: Spring Boot's, which Plimsoll uses instead of building its own.
        Plimsoll plimsoll = context.getBean(Plimsoll.class);
        assertThat(context.getBeansOfType(OpenTelemetry.class)).hasSize(1);
        OpenTelemetrySdk sdk = context.getBean(OpenTelemetrySdk.class);
        assertThat(plimsoll.tracing().openTelemetry()).isSameAs(sdk);

        String base =
            "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        TracedRequests requests = TracedRequests.send(base, "/greet/ada", "/greet/bob");
        Map<String, Object> freshLog = TracedRequests.accessLogEvent(logs::json, requests.fresh());
        Map<String, Object> continuedLog =
            TracedRequests.accessLogEvent(logs::json, requests.continued());
        // Closing flushes Spring Boot's batch processor: every span started is then exported.
        context.close();

        List<ReceivedSpan> servers = TracedRequests.serverSpans(otlp, "/greet/ada", "/greet/bob");
        for (ReceivedSpan server : servers) {
          assertThat(otlp.spans())
              .filteredOn(s -> s.span().getName().equals(TracedApplication.WORK))
              .filteredOn(s -> s.traceId().equals(server.traceId()))
              .as("the application's observation, a child of the SERVER span")
              .singleElement()
              .satisfies(s -> assertThat(s.parentSpanId()).isEqualTo(server.spanId()));
        }
        TracedRequests.assertPointsAt(freshLog, servers.get(0));
        TracedRequests.assertPointsAt(continuedLog, servers.get(1));
        requests.assertExemplarsAmong("/greet/{name}", servers.get(0), servers.get(1));
        // Spring's http.server.requests observation stays off: no second SERVER span, no
        // second count.
        assertThat(requests.scrape().families())
            .noneMatch(f -> f.startsWith("http_server_requests"));
      } finally {
        context.close();
      }
    }
  }
}
