package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.spring.testapp.ExitingApplication;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import dev.plimsoll.ops.testsupport.OtlpReceiver.ReceivedSpan;
import dev.plimsoll.ops.testsupport.Scrape;
import dev.plimsoll.ops.testsupport.TracedRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot application with the starter in a child JVM with the real OpenTelemetry Java agent
 * attached (copied into {@code target/otel-agent} by the build). The agent's Tomcat instrumentation
 * starts the SERVER span before any filter runs and its Spring MVC instrumentation names it after
 * the route: that span is the request's, in the access log and the exemplar, and Plimsoll starts no
 * second one; the request is counted once in {@code /metrics}.
 */
class AgentSpringIT {

  static final Path AGENT = Path.of("target/otel-agent/opentelemetry-javaagent.jar");

  private JavaProcess child;
  private OtlpReceiver otlp;

  @AfterEach
  void stop() {
    if (child != null) {
      child.close();
    }
    if (otlp != null) {
      otlp.close();
    }
  }

  @Test
  void theAgentsServerSpanIsTheRequestsSpan() throws Exception {
    assertThat(AGENT).as("the agent jar the build copies").isRegularFile();
    otlp = OtlpReceiver.start();
    int port = FreePorts.find();
    child =
        JavaProcess.startMain(
            List.of("-javaagent:" + AGENT.toAbsolutePath()),
            ExitingApplication.class,
            TracedRequests.otelEnvironment(otlp, "greeter"),
            List.of("--server.port=" + port, "--ops.shutdown.drain-delay=0s"));
    Await.until(
        "the child to be ready",
        Duration.ofSeconds(120),
        () -> child.stderr().contains("READY") || !child.isAlive());
    assertThat(child.isAlive()).as("the child started").isTrue();

    TracedRequests requests =
        TracedRequests.send("http://127.0.0.1:" + port, "/greet/ada", "/greet/bob");
    Map<String, Object> freshLog = TracedRequests.accessLogEvent(child, requests.fresh());
    Map<String, Object> continuedLog = TracedRequests.accessLogEvent(child, requests.continued());
    child.sigterm();
    assertThat(child.waitFor(Duration.ofSeconds(60))).as("exit status").isNotEqualTo(-1);
    // In the test's report: what the child and its agent said, should a span be missing.
    child.stderr().forEach(System.out::println);
    System.out.println("access log: " + freshLog + "\n" + continuedLog);

    List<ReceivedSpan> servers = TracedRequests.serverSpans(otlp, "/greet/ada", "/greet/bob");
    for (ReceivedSpan span : servers) {
      assertThat(span.scope()).as("the agent's span").startsWith("io.opentelemetry.");
      assertThat(span.attribute("http.route")).isEqualTo("/greet/{name}");
    }
    TracedRequests.assertPointsAt(freshLog, servers.get(0));
    TracedRequests.assertPointsAt(continuedLog, servers.get(1));
    requests.assertExemplarsAmong("/greet/{name}", servers.get(0), servers.get(1));
    Scrape scrape = requests.scrape();
    assertThat(
            scrape.sum(
                "http_server_request_duration_seconds_count",
                Map.of("http_route", "/greet/{name}")))
        .as("each request counted once")
        .isEqualTo(2.0);
    assertThat(scrape.families()).noneMatch(f -> f.startsWith("http_server_requests"));
  }
}
