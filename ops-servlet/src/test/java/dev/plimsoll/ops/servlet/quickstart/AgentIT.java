package dev.plimsoll.ops.servlet.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.OtlpReceiver;
import dev.plimsoll.ops.testsupport.OtlpReceiver.ReceivedSpan;
import dev.plimsoll.ops.testsupport.TracedRequests;
import dev.plimsoll.ops.tracing.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's servlet quickstart in a child JVM (whose servlet also makes a span of its own
 * through Plimsoll's tracing API), once with the real OpenTelemetry Java agent attached and once
 * without, exporting to an OTLP receiver. Either way every request has exactly one SERVER span,
 * continuing the caller's {@code traceparent}, and its access-log line and its exemplar carry that
 * span's IDs. The agent ({@code opentelemetry-javaagent}, copied into {@code target/otel-agent} by
 * the build) installs its OpenTelemetry as {@code GlobalOpenTelemetry} and starts the SERVER span
 * in its Jetty and servlet instrumentation, before any filter runs.
 */
class AgentIT {

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

  @ParameterizedTest(name = "agent attached: {0}")
  @ValueSource(booleans = {true, false})
  void oneServerSpanPerRequestAndTheLogsAndExemplarsPointAtIt(boolean agent) throws Exception {
    assertThat(AGENT).as("the agent jar the build copies").isRegularFile();
    otlp = OtlpReceiver.start();
    Map<String, String> environment =
        new HashMap<>(TracedRequests.otelEnvironment(otlp, "agent-app"));
    environment.put("OPS_SHUTDOWN_DRAIN_DELAY", "0s");
    child =
        JavaProcess.startMain(
            agent ? List.of("-javaagent:" + AGENT.toAbsolutePath()) : List.of(),
            AgentApp.class,
            environment,
            List.of());
    String port =
        Await.until(
            "the child to print its port",
            Duration.ofSeconds(90),
            () ->
                child.stderr().stream()
                    .filter(l -> l.startsWith(AgentApp.PORT))
                    .map(l -> l.substring(AgentApp.PORT.length()).trim())
                    .findFirst()
                    .orElse(null));
    TracedRequests requests =
        TracedRequests.send("http://127.0.0.1:" + port, "/fresh", "/continued");
    Map<String, Object> freshLog = TracedRequests.accessLogEvent(child, requests.fresh());
    Map<String, Object> continuedLog = TracedRequests.accessLogEvent(child, requests.continued());
    // A stop flushes every span, so whatever was started for a request is in the receiver.
    child.sigterm();
    assertThat(child.waitFor(Duration.ofSeconds(60))).as("exit status").isNotEqualTo(-1);
    // In the test's report: what the child and its agent said, should a span be missing.
    child.stderr().forEach(System.out::println);

    List<ReceivedSpan> servers = TracedRequests.serverSpans(otlp, "/fresh", "/continued");
    ReceivedSpan freshSpan = servers.get(0);
    ReceivedSpan continuedSpan = servers.get(1);
    // One SDK: every span comes from the same one, the agent's when it is attached; the
    // application's own span, made with Plimsoll's tracer, is a child of the SERVER span.
    assertThat(otlp.spans())
        .allSatisfy(
            s ->
                assertThat(s.resourceAttribute("telemetry.distro.name"))
                    .isEqualTo(agent ? "opentelemetry-java-instrumentation" : null));
    for (ReceivedSpan server : servers) {
      assertThat(server.scope())
          .as("whose instrumentation made the SERVER span")
          .satisfies(
              scope -> {
                if (agent) {
                  assertThat(scope).startsWith("io.opentelemetry.");
                } else {
                  assertThat(scope).isEqualTo(Tracing.INSTRUMENTATION_NAME);
                }
              });
      assertThat(otlp.spans())
          .filteredOn(s -> s.span().getName().equals(AgentApp.WORK_SPAN))
          .filteredOn(s -> s.traceId().equals(server.traceId()))
          .as("the application's own span, a child of the SERVER span")
          .singleElement()
          .satisfies(s -> assertThat(s.parentSpanId()).isEqualTo(server.spanId()));
    }
    TracedRequests.assertPointsAt(freshLog, freshSpan);
    TracedRequests.assertPointsAt(continuedLog, continuedSpan);
    requests.assertExemplarsAmong("/fresh", freshSpan);
    requests.assertExemplarsAmong("/continued", continuedSpan);
  }
}
