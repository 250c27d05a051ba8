package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.KubernetesManifests;
import dev.plimsoll.ops.testsupport.KubernetesSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validates every resource the project ships for Kubernetes against the Kubernetes OpenAPI schemas
 * and the custom resource definitions' own schemas (vendored in ops-test-support, strictly: an
 * unknown field is a problem): each kustomization under {@code deploy/} as the real {@code kubectl
 * kustomize} renders it (components through the kustomizations that use them), and each YAML file
 * under {@code alerts/canary/} and {@code alerts/kubernetes/}.
 */
class DeployManifestSchemasTest {

  private static final Path DEPLOY = Path.of("deploy");
  private static final List<Path> RESOURCE_FOLDERS =
      List.of(Path.of("../alerts/canary"), Path.of("../alerts/kubernetes"));

  static Stream<Path> kustomizations() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files
          .filter(file -> file.getFileName().toString().equals("kustomization.yaml"))
          .filter(file -> !"Component".equals(KubernetesManifests.read(file).get(0).get("kind")))
          .map(Path::getParent)
          .sorted()
          .toList()
          .stream();
    }
  }

  static Stream<Path> resourceFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path folder : RESOURCE_FOLDERS) {
      try (Stream<Path> paths = Files.walk(folder)) {
        paths
            .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
            .filter(path -> !path.getFileName().toString().equals("kustomization.yaml"))
            .sorted()
            .forEach(files::add);
      }
    }
    return files.stream();
  }

  @Test
  void everyOverlayIsRendered() throws IOException {
    assertThat(kustomizations())
        .contains(
            DEPLOY.resolve("base"),
            DEPLOY.resolve("overlays/dev"),
            DEPLOY.resolve("overlays/staging"),
            DEPLOY.resolve("overlays/prod"),
            DEPLOY.resolve("argocd"),
            DEPLOY.resolve("argocd/notifications"),
            DEPLOY.resolve("overlays/prod-argo-canary"),
            DEPLOY.resolve("overlays/prod-argo-bluegreen"),
            DEPLOY.resolve("overlays/prod-flagger"));
    assertThat(resourceFiles()).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void renderedKustomizationIsValid(Path kustomization) {
    assertValid(kustomization.toString(), KubernetesManifests.render(kustomization));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resourceFiles")
  void resourceFileIsValid(Path file) {
    assertValid(file.toString(), KubernetesManifests.read(file));
  }

  private static void assertValid(String source, List<Map<String, Object>> resources) {
    assertThat(resources).as(source + " holds resources").isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> resource : resources) {
      Object metadata = resource.get("metadata");
      Object name = metadata instanceof Map<?, ?> map ? map.get("name") : null;
      for (String problem : KubernetesSchemas.vendored().validate(resource)) {
        problems.add(resource.get("kind") + " " + name + ": " + problem);
      }
    }
    assertThat(problems).as(source).isEmpty();
  }
}
