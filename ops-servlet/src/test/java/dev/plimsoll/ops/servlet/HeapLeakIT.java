package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.LeakCheck;
import dev.plimsoll.ops.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A plain servlet application with Plimsoll (a Jetty in a child JVM, access log and tracing on)
 * keeps nothing per request: distinct request IDs and distinct traces leave its live heap (after a
 * full GC) within 1 MB per 100,000 requests, measured over 50,000 after 10,000 that warm it up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeapLeakIT {

  private static final long ONE_MB = 1024 * 1024;
  private static final int WARM_UP = 10_000;
  private static final int COUNT = 50_000;

  private JavaProcess app;
  private String base;

  @BeforeAll
  void start() throws Exception {
    app =
        JavaProcess.startMain(
            SlowServer.class,
            Map.of("OPS_SERVICE_NAME", "leak-test", "OPS_SHUTDOWN_DRAIN_DELAY", "0s"),
            List.of(),
            false);
    String portLine =
        Await.until(
            "the child to print its port",
            Duration.ofSeconds(30),
            () ->
                app.stderr().stream().filter(l -> l.startsWith("PORT ")).findFirst().orElse(null));
    base = "http://127.0.0.1:" + portLine.substring(5).trim();
    TestHttp.awaitStatus(base + "/health/ready", 200, Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void distinctRequestIdsLeaveTheHeapFlat() {
    assertThat(growthPer100k("X-Request-ID", i -> "leak-check-request-" + i))
        .as("live heap growth per 100,000 request IDs (bytes)")
        .isLessThan(ONE_MB);
  }

  @Test
  void distinctTraceparentsLeaveTheHeapFlat() {
    assertThat(growthPer100k("traceparent", i -> "00-" + hex(i, 32) + "-" + hex(i, 16) + "-01"))
        .as("live heap growth per 100,000 traces (bytes)")
        .isLessThan(ONE_MB);
  }

  /** Requests to one route, each with its own value of {@code header}. */
  private long growthPer100k(String header, IntFunction<String> value) {
    return LeakCheck.growthPer100k(
        app.pid(),
        WARM_UP,
        COUNT,
        i ->
            HttpRequest.newBuilder(URI.create(base + "/slow?ms=0"))
                .header(header, value.apply(i))
                .build());
  }

  /** {@code i} as {@code digits} lower-case hex digits, never all zeros. */
  private static String hex(int i, int digits) {
    String number = HexFormat.of().toHexDigits((long) i + 1);
    return "0".repeat(digits - number.length()) + number;
  }
}
