package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.LocalServices;
import dev.plimsoll.ops.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The inhibitions of {@code alerts/alertmanager/alertmanager.yaml} in a real Alertmanager (Debian's
 * {@code prometheus-alertmanager}): alerts are posted to its API as Prometheus would send them, and
 * its API says which are inhibited and by what. Notifications go to the placeholder receivers and
 * fail, which does not change what is inhibited.
 */
class AlertmanagerInhibitionIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aServiceWidePageSilencesItsOwnConsequencesOnly(@TempDir Path work) throws Exception {
    Path binary = alertmanagerBinary();
    int port = FreePorts.find();
    String base = "http://127.0.0.1:" + port;
    Path log = work.resolve("alertmanager.log");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + AlertmanagerRoutingTest.CONFIG,
                "--storage.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Await.until(
          "Alertmanager to be ready (log: " + log + ")",
          Duration.ofSeconds(60),
          () -> !process.isAlive() || status(base + "/-/ready") == 200);
      assertThat(process.isAlive()).as("Alertmanager exited: %s", Files.readString(log)).isTrue();

      // Each key: an alert's labels; the value: the alert that must inhibit it, or "" for none.
      Map<Map<String, String>, String> expected = new LinkedHashMap<>();
      expected.put(labels("ServiceNoInstanceReady", "page", "orders"), "");
      expected.put(
          labels("ServiceInstanceNotReady", "warning", "orders", "instance", "10.0.0.1:8080"),
          "ServiceNoInstanceReady");
      expected.put(
          labels("JvmHeapPressure", "warning", "orders", "instance", "10.0.0.2:8080"),
          "ServiceNoInstanceReady");
      // another service: not inhibited
      expected.put(
          labels("ServiceInstanceNotReady", "warning", "payments", "instance", "10.0.0.3:8080"),
          "");
      // the same service in another cluster: not inhibited
      expected.put(labels("ServiceNoInstanceReady", "page", "carts", "cluster", "eu"), "");
      expected.put(
          labels(
              "ServiceInstanceNotReady",
              "warning",
              "carts",
              "cluster",
              "us",
              "instance",
              "10.0.0.1:8080"),
          "");
      expected.put(
          labels(
              "ServiceInstanceNotReady",
              "warning",
              "carts",
              "cluster",
              "eu",
              "instance",
              "10.0.0.4:8080"),
          "ServiceNoInstanceReady");
      // the SLO page and the per-version alerts of the same service
      expected.put(
          labels("SloAvailabilityBurnRate1h", "page", "search", "slo", "availability"), "");
      expected.put(
          labels("ServiceErrorRatioHigh", "page", "search", "service_version", "2.0.0"),
          "SloAvailabilityBurnRate1h");
      expected.put(
          labels("NewVersionLatencyRegression", "warning", "search", "service_version", "2.0.0"),
          "SloAvailabilityBurnRate1h");
      // a per-version alert of a service without an SLO page: not inhibited
      expected.put(labels("ServiceErrorRatioHigh", "page", "cart", "service_version", "1.0.0"), "");
      // the SLO ticket (3d) does not inhibit the pages
      expected.put(
          labels("SloAvailabilityBurnRate3d", "ticket", "basket", "slo", "availability"), "");
      expected.put(labels("ServiceLatencyHigh", "page", "basket", "service_version", "1.0.0"), "");

      StringBuilder body = new StringBuilder("[");
      for (Map<String, String> alert : expected.keySet()) {
        body.append(body.length() > 1 ? "," : "")
            .append("{\"labels\":")
            .append(JSON.writeValueAsString(alert))
            .append('}');
      }
      body.append(']');
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as("POST /api/v2/alerts: %s", posted.body()).isEqualTo(200);

      Map<String, String> want = new TreeMap<>();
      expected.forEach((labels, by) -> want.put(labels.toString(), by));
      AtomicReference<Map<String, String>> seen = new AtomicReference<>(Map.of());
      try {
        Await.until(
            "Alertmanager to list every alert with its inhibitions",
            Duration.ofSeconds(60),
            () -> {
              seen.set(inhibitions(base));
              return seen.get().equals(want);
            });
      } catch (AssertionError timedOut) {
        // the assertion below shows what differs
      }
      assertThat(seen.get()).isEqualTo(want);
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Each alert Alertmanager lists (as its labels), and the alertname of what inhibits it. */
  private Map<String, String> inhibitions(String base) {
    JsonNode alerts = JSON.readTree(get(base + "/api/v2/alerts"));
    Map<String, String> fingerprints = new TreeMap<>();
    for (JsonNode alert : alerts) {
      fingerprints.put(
          alert.path("fingerprint").asString(""),
          alert.path("labels").path("alertname").asString(""));
    }
    Map<String, String> seen = new TreeMap<>();
    for (JsonNode alert : alerts) {
      Map<String, String> labels = new TreeMap<>();
      alert
          .path("labels")
          .properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
      StringBuilder by = new StringBuilder();
      for (JsonNode fingerprint : alert.path("status").path("inhibitedBy")) {
        by.append(by.length() > 0 ? "," : "")
            .append(fingerprints.getOrDefault(fingerprint.asString(""), "?"));
      }
      seen.put(labels.toString(), by.toString());
    }
    return seen;
  }

  private static Map<String, String> labels(
      String alertname, String severity, String service, String... more) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", severity);
    labels.put("service_name", service);
    for (int i = 0; i < more.length; i += 2) {
      labels.put(more[i], more[i + 1]);
    }
    return labels;
  }

  /** Debian names it prometheus-alertmanager; the upstream release, alertmanager. */
  private static Path alertmanagerBinary() {
    for (String dir : String.valueOf(System.getenv("PATH")).split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "alertmanager");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return LocalServices.requireExecutable(
        "prometheus-alertmanager", "Debian: apt-get install -y prometheus-alertmanager");
  }

  private static int status(String url) {
    try {
      return TestHttp.get(url).statusCode();
    } catch (IllegalStateException notYet) {
      return -1;
    }
  }

  private static String get(String url) {
    return TestHttp.get(url).body();
  }
}
