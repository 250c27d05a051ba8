package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.LeakCheck;
import dev.plimsoll.ops.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged service under what a vulnerability scanner sends every public service: distinct
 * unknown paths leave its live heap (after a full GC) within 1 MB per 100,000 (measured over 50,000
 * after 10,000 that warm it up). Spring MVC's static-resource lookup retained memory for every
 * distinct path inside the executable jar until the service turned it off ({@code
 * spring.web.resources.add-mappings=false}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeapLeakIT {

  private static final long ONE_MB = 1024 * 1024;

  private JavaProcess service;
  private String base;

  @BeforeAll
  void start() throws Exception {
    int port = FreePorts.find();
    base = "http://127.0.0.1:" + port;
    service =
        JavaProcess.startJarDiscardingStdout(
            ServiceProcess.jar(),
            Map.of("OPS_SHUTDOWN_DRAIN_DELAY", "0s"),
            List.of("-Xmx256m"),
            List.of("--server.port=" + port));
    TestHttp.awaitStatus(base + "/health/ready", 200, Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void withTheStaticResourceMappingsOnTheStarterWarnsInOneLine() {
    try (ServiceProcess mapped =
        ServiceProcess.start(
            Map.of("OPS_SHUTDOWN_DRAIN_DELAY", "0s"), "--spring.web.resources.add-mappings=true")) {
      mapped.awaitReady(Duration.ofSeconds(60));
      assertThat(mapped.jsonLines())
          .filteredOn(l -> l.path("message").asString().contains("add-mappings=false"))
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.path("level").asString()).isEqualTo("WARN");
                assertThat(line.path("logger").asString()).endsWith("StaticResourceMappings");
              });
    }
  }

  @Test
  void distinctUnknownPathsLeaveTheHeapFlat() {
    long growth =
        LeakCheck.growthPer100k(
            service.pid(),
            10_000,
            50_000,
            i -> HttpRequest.newBuilder(URI.create(base + "/scan/" + i + "/wp-login.php")).build());
    assertThat(growth).as("live heap growth per 100,000 unknown paths (bytes)").isLessThan(ONE_MB);
  }
}
