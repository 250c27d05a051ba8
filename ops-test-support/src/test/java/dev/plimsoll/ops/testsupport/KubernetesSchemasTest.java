package dev.plimsoll.ops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubernetesSchemasTest {

  private static final KubernetesSchemas SCHEMAS = KubernetesSchemas.vendored();
  private static final List<String> EXAMPLES = List.of("builtin.yaml", "custom.yaml");
  private static final String ANALYSIS = "analysis: {interval: 1m, threshold: 5, stepWeight: 10}";

  static Stream<Arguments> examples() {
    List<Arguments> examples = new ArrayList<>();
    for (String file : EXAMPLES) {
      try (InputStream in =
          KubernetesSchemasTest.class.getResourceAsStream("/kubernetes-examples/" + file)) {
        for (Map<String, Object> resource : KubernetesManifests.parse(in)) {
          examples.add(Arguments.of(name(resource), resource));
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return examples.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void acceptsAValidExampleOfEveryKind(String name, Map<String, Object> resource) {
    assertThat(SCHEMAS.validate(resource)).as(name).isEmpty();
  }

  @Test
  void everyVendoredKindHasAnExample() {
    Set<String> exampled = new TreeSet<>();
    examples().forEach(example -> exampled.add(apiVersionKind(example.get()[1])));
    assertThat(exampled).isEqualTo(SCHEMAS.kinds());
  }

  @Test
  void everyVendoredFileIsLoaded() throws IOException {
    Path folder = Path.of("src/main/resources/kubernetes-schemas");
    Set<String> files = new TreeSet<>();
    try (Stream<Path> paths = Files.walk(folder)) {
      paths
          .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".json"))
          .forEach(path -> files.add(folder.relativize(path).toString()));
    }
    Set<String> loaded = new TreeSet<>(KubernetesSchemas.CUSTOM_RESOURCE_DEFINITIONS);
    loaded.add(KubernetesSchemas.KUBERNETES);
    assertThat(files).isEqualTo(loaded);
  }

  @Test
  void anUnknownFieldIsAProblem() {
    assertThat(problems(deployment("replica: 2"))).containsExactly("spec.replica: unknown field");
  }

  @Test
  void aValueOfTheWrongTypeIsAProblem() {
    assertThat(problems(deployment("replicas: \"2\"")))
        .containsExactly("spec.replicas: expected integer, found string \"2\"");
  }

  @Test
  void aMissingRequiredFieldIsAProblem() {
    assertThat(
            problems(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: shop}
                spec:
                  template:
                    spec:
                      containers:
                        - image: registry.example/shop:1.0.0
                        - name: null
                """))
        .containsExactly(
            "spec.selector: missing required field",
            "spec.template.spec.containers[0].name: missing required field",
            "spec.template.spec.containers[1].name: missing required field");
  }

  @Test
  void anUnknownKindOrVersionIsAProblem() {
    assertThat(problems("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: shop}\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("apiVersion, kind: no schema for apiVersion apps/v1 kind Deploymnet")
        .contains("argoproj.io/v1alpha1 Rollout");
    assertThat(problems("apiVersion: argoproj.io/v1\nkind: Rollout\nmetadata: {name: shop}\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("apiVersion, kind: no schema for apiVersion argoproj.io/v1 kind Rollout");
    assertThat(problems("metadata: {name: shop}\n"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("apiVersion, kind: no schema for apiVersion null kind null");
  }

  @Test
  void aMisspelledFieldInACustomResourceIsAProblem() {
    assertThat(problems(rolloutCanary("steps: [{setWeigth: 20}]")))
        .containsExactly("spec.strategy.canary.steps[0].setWeigth: unknown field");
    assertThat(
            problems(
                flaggerCanary(
                    "service: {port: 80}, analysis: {interval: 1m, stepWeight: 10, treshold: 5}")))
        .hasSize(2)
        .contains("spec.analysis.treshold: unknown field")
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .startsWith("spec.analysis: must match exactly one of the oneOf schemas")
                    .contains("spec.analysis.threshold: missing required field"));
  }

  @Test
  void aCustomResourcesMetadataIsCheckedAsObjectMeta() {
    assertThat(
            problems(
                """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: shop
                  lables: {release: prometheus}
                spec:
                  selector: {}
                  endpoints: [{port: management}]
                """))
        .containsExactly("metadata.lables: unknown field");
  }

  @Test
  void aValueOutsideAnEnumIsAProblem() {
    assertThat(problems(flaggerCanary("provider: istioo, service: {port: 80}, " + ANALYSIS)))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("spec.provider: must be one of [")
        .endsWith("found string \"istioo\"");
  }

  @Test
  void oneOfAnyOfAndNotAreFollowed() {
    // Flagger: each match condition has at most one of exact, prefix and regex, as
    // oneOf [not anyOf [required exact, required prefix, required regex], required exact, ...].
    String canary = flaggerCanary("service: {port: 80, match: [{uri: %s}]}, " + ANALYSIS);
    assertThat(problems(canary.formatted("{}"))).isEmpty();
    assertThat(problems(canary.formatted("{prefix: /api}"))).isEmpty();
    assertThat(problems(canary.formatted("{prefix: /api, exact: /api}")))
        .containsExactly(
            "spec.service.match[0].uri: must match exactly one of the oneOf schemas, matches 2");
  }

  @Test
  void intOrStringTakesAnIntegerOrAStringOnly() {
    String pdb =
        """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: shop}
        spec:
          minAvailable: %s
        """;
    assertThat(problems(pdb.formatted("1"))).isEmpty();
    assertThat(problems(pdb.formatted("50%"))).isEmpty();
    assertThat(problems(pdb.formatted("true")))
        .containsExactly("spec.minAvailable: expected an integer or a string, found boolean true");
    assertThat(problems(rolloutCanary("maxSurge: 0.5")))
        .containsExactly(
            "spec.strategy.canary.maxSurge: expected an integer or a string, found double 0.5");
  }

  @Test
  void aQuantityTakesANumberOrAString() {
    assertThat(problems(cpuLimit("2"))).isEmpty();
    assertThat(problems(cpuLimit("500m"))).isEmpty();
    assertThat(problems(cpuLimit("[2]")))
        .containsExactly(
            "spec.template.spec.containers[0].resources.limits.cpu:"
                + " expected a quantity (string or number), found array");
  }

  @Test
  void secretDataMustBeBase64() {
    assertThat(
            problems(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: shop}\ndata: {password: secret!}\n"))
        .containsExactly("data.password: expected base64, found string \"secret!\"");
  }

  @Test
  void preservedUnknownFieldsAreOpenButTheirNeighboursAreNot() {
    assertThat(
            problems(
                """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata: {name: shop}
                spec:
                  project: default
                  destination: {server: https://kubernetes.default.svc}
                  source:
                    repoURL: https://git.example/shop.git
                    helm:
                      valuesObject: {any: {thing: [1]}}
                      valuesObjekt: {}
                """))
        .containsExactly("spec.source.helm.valuesObjekt: unknown field");
  }

  @Test
  void labelKeysWithDotsAndSlashesAppearQuotedInPaths() {
    assertThat(
            problems(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n"
                    + "  labels: {app.kubernetes.io/name: 3}\n"))
        .containsExactly(
            "metadata.labels[\"app.kubernetes.io/name\"]: expected string, found integer 3");
  }

  @Test
  void anEmbeddedResourceNeedsApiVersionAndKindAndItsMetadataIsObjectMeta() {
    KubernetesSchemas schemas =
        withCustomResource(
            "template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}");
    assertThat(
            schemas.validate(
                resource(
                    "apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\n"
                        + "spec: {template: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}, data: {}}}\n")))
        .isEmpty();
    assertThat(
            schemas.validate(
                resource(
                    "apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\n"
                        + "spec: {template: {kind: ConfigMap, metadata: {nme: x}}}\n")))
        .containsExactly(
            "spec.template.apiVersion: an embedded resource needs a string apiVersion",
            "spec.template.metadata.nme: unknown field");
  }

  @Test
  void aCustomResourceObjectWithoutPropertiesIsClosedAsTheApiServerPrunesIt() {
    KubernetesSchemas schemas =
        withCustomResource(
            "options: {type: object}, labels: {type: object, additionalProperties: {type: string}}");
    assertThat(
            schemas.validate(
                resource(
                    "apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\n"
                        + "spec: {options: {debug: true}, labels: {a: b}}\n")))
        .containsExactly("spec.options.debug: unknown field");
  }

  @Test
  void aNullValueCountsAsAbsent() {
    assertThat(
            problems(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop, annotations: null}\n"))
        .isEmpty();
  }

  @Test
  void aSchemaKeywordTheValidatorDoesNotKnowThrows() {
    KubernetesSchemas schemas =
        withCustomResource("tags: {type: array, uniqueItems: true, items: {type: string}}");
    Map<String, Object> widget =
        resource(
            "apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\nspec: {tags: [a]}\n");
    assertThatThrownBy(() -> schemas.validate(widget))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Schema keyword uniqueItems at spec.tags is not understood");
  }

  /** Schemas with one custom kind, example.dev/v1 Widget, whose spec has the properties given. */
  private static KubernetesSchemas withCustomResource(String specProperty) {
    Map<String, Object> crd =
        resource(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.dev}
            spec:
              group: example.dev
              names: {kind: Widget, plural: widgets}
              scope: Namespaced
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        apiVersion: {type: string}
                        kind: {type: string}
                        metadata: {type: object}
                        spec:
                          type: object
                          properties: {%s}
            """
                .formatted(specProperty));
    return KubernetesSchemas.of(SCHEMAS.definitions(), List.of(crd));
  }

  private static String rolloutCanary(String canaryFields) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: shop}
        spec:
          workloadRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
          strategy: {canary: {%s}}
        """
        .formatted(canaryFields);
  }

  private static String flaggerCanary(String specFields) {
    return """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: shop}
        spec: {targetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}, %s}
        """
        .formatted(specFields);
  }

  /** A Deployment with one more spec field, such as {@code "paused: true"}. */
  private static String deployment(String specField) {
    return deployment(specField, "");
  }

  /** A Deployment with one more spec field and more fields for its one container. */
  private static String deployment(String specField, String containerFields) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: shop}
        spec:
          selector: {matchLabels: {app: shop}}
          template: {spec: {containers: [{name: shop, %s}]}}
          %s
        """
        .formatted(containerFields, specField);
  }

  private static String cpuLimit(String cpu) {
    return deployment("", "resources: {limits: {cpu: %s}}".formatted(cpu));
  }

  private static List<String> problems(String yaml) {
    return SCHEMAS.validate(resource(yaml));
  }

  private static Map<String, Object> resource(String yaml) {
    List<Map<String, Object>> resources =
        KubernetesManifests.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    assertThat(resources).hasSize(1);
    return resources.get(0);
  }

  private static String apiVersionKind(Object resource) {
    Map<?, ?> map = (Map<?, ?>) resource;
    return map.get("apiVersion") + " " + map.get("kind");
  }

  private static String name(Map<String, Object> resource) {
    return resource.get("kind") + " " + ((Map<?, ?>) resource.get("metadata")).get("name");
  }
}
