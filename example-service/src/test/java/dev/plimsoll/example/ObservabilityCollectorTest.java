package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.KubernetesManifests;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenTelemetry Collector of {@code deploy/observability/}. No collector binary can be had here
 * (no container engine; the collector ships as images and release archives, in no package registry
 * this build reaches), so instead of {@code otelcol validate} the configuration is checked against
 * the components' documented settings: the READMEs of the collector's otlpreceiver,
 * memorylimiterprocessor, batchprocessor and otlpexporter, and of collector-contrib's
 * tailsamplingprocessor (its config.go for the policy types and their fields), plus the pipeline
 * rules of the collector's configuration documentation (every component used is defined, every one
 * defined is used, memory_limiter first, batch last). Then it checks what ties it to Plimsoll: the
 * latency policy is the SLO threshold of the alerts, and the prod overlay's
 * OTEL_EXPORTER_OTLP_ENDPOINT reaches the collector's OTLP/HTTP receiver through its Service.
 */
class ObservabilityCollectorTest {

  private static final Path DIR = Path.of("deploy/observability");

  /** Documented settings of each component used (the rest would fail `otelcol validate`). */
  private static final Map<String, Set<String>> SETTINGS =
      Map.of(
          "memory_limiter",
          Set.of(
              "check_interval",
              "limit_mib",
              "spike_limit_mib",
              "limit_percentage",
              "spike_limit_percentage"),
          "tail_sampling",
          Set.of(
              "decision_wait",
              "num_traces",
              "expected_new_traces_per_sec",
              "policies",
              "decision_cache",
              "sample_on_first_match"),
          "batch",
          Set.of(
              "timeout",
              "send_batch_size",
              "send_batch_max_size",
              "metadata_keys",
              "metadata_cardinality_limit"),
          "otlp",
          Set.of(
              "endpoint",
              "tls",
              "headers",
              "compression",
              "timeout",
              "sending_queue",
              "retry_on_failure",
              "balancer_name",
              "auth",
              "protocols"),
          "health_check",
          Set.of("endpoint", "path", "check_collector_pipeline", "response_body"));

  /** tailsamplingprocessor's policy types. */
  private static final Set<String> POLICY_TYPES =
      Set.of(
          "always_sample",
          "latency",
          "numeric_attribute",
          "probabilistic",
          "status_code",
          "string_attribute",
          "rate_limiting",
          "span_count",
          "trace_state",
          "boolean_attribute",
          "ottl_condition",
          "composite",
          "and",
          "drop");

  private static final Pattern SLO_BUCKET = Pattern.compile("le=\"([0-9.]+)\"");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config() throws IOException {
    return (Map<String, Object>)
        new Yaml().load(Files.readString(DIR.resolve("otel-collector-config.yaml")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Object>) value;
  }

  @Test
  void everyComponentUsesOnlyDocumentedSettings() throws IOException {
    Map<String, Object> config = config();
    assertThat(config.keySet())
        .containsExactlyInAnyOrder("extensions", "receivers", "processors", "exporters", "service");
    for (String section : List.of("extensions", "processors", "exporters")) {
      map(config.get(section))
          .forEach(
              (name, settings) -> {
                String type = name.split("/")[0];
                assertThat(SETTINGS).as("a documented %s", section).containsKey(type);
                assertThat(SETTINGS.get(type)).as(name).containsAll(map(settings).keySet());
              });
    }
    Map<String, Object> otlp = map(map(config.get("receivers")).get("otlp"));
    assertThat(otlp.keySet()).containsExactly("protocols");
    assertThat(map(otlp.get("protocols")).keySet()).containsExactlyInAnyOrder("grpc", "http");

    Map<String, Object> limiter = map(map(config.get("processors")).get("memory_limiter"));
    assertThat(limiter).containsKey("check_interval");
    assertThat((Integer) limiter.get("spike_limit_percentage"))
        .isLessThan((Integer) limiter.get("limit_percentage"));
    Map<String, Object> batch = map(map(config.get("processors")).get("batch"));
    assertThat((Integer) batch.get("send_batch_max_size"))
        .isGreaterThanOrEqualTo((Integer) batch.get("send_batch_size"));
  }

  @Test
  void pipelinesUseWhatIsDefinedLimitMemoryFirstAndBatchLast() throws IOException {
    Map<String, Object> config = config();
    Map<String, Object> service = map(config.get("service"));
    assertThat(list(service.get("extensions")))
        .containsExactlyElementsOf(map(config.get("extensions")).keySet());
    Map<String, Object> pipelines = map(service.get("pipelines"));
    assertThat(pipelines.keySet()).containsExactlyInAnyOrder("traces", "metrics", "logs");
    List<String> used = new ArrayList<>();
    pipelines.forEach(
        (signal, value) -> {
          Map<String, Object> pipeline = map(value);
          for (String kind : List.of("receivers", "processors", "exporters")) {
            for (Object component : list(pipeline.get(kind))) {
              assertThat(map(config.get(kind)))
                  .as(signal + " " + kind)
                  .containsKey(String.valueOf(component));
              used.add(kind + "." + component);
            }
          }
          List<Object> processors = list(pipeline.get("processors"));
          assertThat(processors.get(0)).as(signal).isEqualTo("memory_limiter");
          assertThat(processors.get(processors.size() - 1)).as(signal).isEqualTo("batch");
          // Supported pipeline types of tailsamplingprocessor: traces.
          assertThat(processors.contains("tail_sampling"))
              .as(signal)
              .isEqualTo(signal.equals("traces"));
        });
    for (String kind : List.of("receivers", "processors", "exporters")) {
      for (String component : map(config.get(kind)).keySet()) {
        assertThat(used).as("defined and used").contains(kind + "." + component);
      }
    }
  }

  @Test
  void tailSamplingKeepsEveryErrorEverySlowTraceAndAFractionOfTheRest() throws IOException {
    Map<String, Object> sampling = map(map(config().get("processors")).get("tail_sampling"));
    Map<String, Map<String, Object>> byType = new java.util.LinkedHashMap<>();
    for (Object value : list(sampling.get("policies"))) {
      Map<String, Object> policy = map(value);
      String type = String.valueOf(policy.get("type"));
      assertThat(POLICY_TYPES).contains(type);
      assertThat(policy.keySet())
          .as("policy %s", policy.get("name"))
          .containsExactlyInAnyOrder("name", "type", type);
      byType.put(type, map(policy.get(type)));
    }
    assertThat(byType.keySet())
        .containsExactlyInAnyOrder("status_code", "latency", "probabilistic");
    assertThat(list(byType.get("status_code").get("status_codes"))).containsExactly("ERROR");
    assertThat(byType.get("latency").keySet()).containsExactly("threshold_ms");
    assertThat(((Number) byType.get("latency").get("threshold_ms")).doubleValue() / 1000)
        .as("the latency SLO threshold of the alerts (the bucket of the slow-request rules)")
        .isEqualTo(sloThresholdSeconds());
    double fraction =
        ((Number) byType.get("probabilistic").get("sampling_percentage")).doubleValue();
    assertThat(fraction).isGreaterThan(0).isLessThan(100);
  }

  private static double sloThresholdSeconds() throws IOException {
    String rules = Files.readString(Path.of("../alerts/recording-rules.yaml"));
    int at = rules.indexOf("- record: service:http_request_slow_ratio:rate5m");
    assertThat(at).isNotNegative();
    Matcher bucket = SLO_BUCKET.matcher(rules.substring(at));
    assertThat(bucket.find()).isTrue();
    return Double.parseDouble(bucket.group(1));
  }

  @Test
  void theProdOverlaySendsToTheCollectorsOtlpHttpReceiver() throws IOException {
    List<Map<String, Object>> collector = KubernetesManifests.render(DIR);
    Map<String, Object> service = only(collector, "Service");
    Map<String, Object> deployment = only(collector, "Deployment");
    String namespace = String.valueOf(map(service.get("metadata")).get("namespace"));
    String name = String.valueOf(map(service.get("metadata")).get("name"));

    String endpoint = null;
    for (Map<String, Object> resource :
        KubernetesManifests.render(Path.of("deploy/overlays/prod"))) {
      if ("ConfigMap".equals(resource.get("kind")) && resource.get("data") != null) {
        Object value = map(resource.get("data")).get("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (value != null) {
          endpoint = String.valueOf(value);
        }
      }
    }
    assertThat(endpoint).as("OTEL_EXPORTER_OTLP_ENDPOINT of the prod overlay").isNotNull();
    URI uri = URI.create(endpoint);
    assertThat(uri.getScheme()).isEqualTo("http");
    assertThat(uri.getHost()).isEqualTo(name + "." + namespace + ".svc.cluster.local");

    Map<String, Object> port = null;
    for (Object value : list(map(service.get("spec")).get("ports"))) {
      if (((Number) map(value).get("port")).intValue() == uri.getPort()) {
        port = map(value);
      }
    }
    assertThat(port).as("a Service port %s", uri.getPort()).isNotNull();
    Map<String, Object> container =
        map(
            list(map(map(map(deployment.get("spec")).get("template")).get("spec"))
                    .get("containers"))
                .get(0));
    Integer containerPort = null;
    for (Object value : list(container.get("ports"))) {
      if (map(value).get("name").equals(port.get("targetPort"))) {
        containerPort = (Integer) map(value).get("containerPort");
      }
    }
    String http =
        String.valueOf(
            map(map(map(map(config().get("receivers")).get("otlp")).get("protocols")).get("http"))
                .get("endpoint"));
    assertThat(http)
        .as("the OTLP/HTTP receiver listens on the Service's target port")
        .endsWith(":" + containerPort);
    // Tail sampling needs every span of a trace in one collector.
    assertThat(map(deployment.get("spec")).get("replicas")).isEqualTo(1);
  }

  private static Map<String, Object> only(List<Map<String, Object>> resources, String kind) {
    List<Map<String, Object>> found =
        resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }
}
