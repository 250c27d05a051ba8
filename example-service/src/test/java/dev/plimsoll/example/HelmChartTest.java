package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.KubernetesManifests;
import dev.plimsoll.ops.testsupport.LocalServices;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart ({@code deploy/helm/example-service}) renders, with each environment's values
 * file, exactly the resources of the kustomize overlay of the same name: the same kinds and names,
 * and equal content (environment variables compared by name, as Kubernetes merges them). Both are
 * rendered by the real tools, {@code helm template} and {@code kubectl kustomize}.
 */
class HelmChartTest {

  private static final Path CHART = Path.of("deploy/helm/example-service");
  private static final Path INSTALLED = Path.of("../.ci/bin/helm");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "staging", "prod"})
  void eachValuesFileRendersItsOverlay(String environment) throws Exception {
    List<Map<String, Object>> overlay =
        KubernetesManifests.render(Path.of("deploy/overlays").resolve(environment));
    Object namespace = at(overlay.get(0), "metadata", "namespace");
    List<Map<String, Object>> chart = helmTemplate(environment, String.valueOf(namespace));

    Map<String, Object> expected = byKindAndName(overlay);
    Map<String, Object> actual = byKindAndName(chart);
    assertThat(actual.keySet()).as(environment + ": the resources").isEqualTo(expected.keySet());
    for (String resource : expected.keySet()) {
      assertThat(actual.get(resource))
          .as(environment + ": " + resource)
          .isEqualTo(expected.get(resource));
    }
  }

  private static List<Map<String, Object>> helmTemplate(String environment, String namespace)
      throws Exception {
    Path helm =
        Files.isExecutable(INSTALLED)
            ? INSTALLED
            : LocalServices.requireExecutable("helm", "run .ci/install-test-tools");
    Process process =
        new ProcessBuilder(
                helm.toString(),
                "template",
                "example-service",
                CHART.toString(),
                "--values",
                CHART.resolve("values-" + environment + ".yaml").toString(),
                "--namespace",
                namespace)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("helm template " + environment).isZero();
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Map<String, Object> document :
        KubernetesManifests.parse(new ByteArrayInputStream(output))) {
      if (document != null && !document.isEmpty()) {
        resources.add(document);
      }
    }
    return resources;
  }

  private static Map<String, Object> byKindAndName(List<Map<String, Object>> resources) {
    Map<String, Object> byName = new TreeMap<>();
    for (Map<String, Object> resource : resources) {
      String key = resource.get("kind") + "/" + at(resource, "metadata", "name");
      assertThat(byName.put(key, normalized(resource))).as("two of " + key).isNull();
    }
    return byName;
  }

  /** A copy with every {@code env} list in name order: Kubernetes keys env by name. */
  @SuppressWarnings("unchecked")
  private static Object normalized(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, value) -> copy.put(String.valueOf(key), normalized(value)));
      if (copy.get("env") instanceof List<?> env) {
        List<Map<String, Object>> sorted = new ArrayList<>((List<Map<String, Object>>) env);
        sorted.sort(Comparator.comparing(variable -> String.valueOf(variable.get("name"))));
        copy.put("env", sorted);
      }
      return copy;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(HelmChartTest::normalized).toList();
    }
    return node;
  }

  private static Object at(Map<String, Object> node, String... path) {
    Object current = node;
    for (String key : path) {
      current = current instanceof Map<?, ?> map ? map.get(key) : null;
    }
    return current;
  }
}
