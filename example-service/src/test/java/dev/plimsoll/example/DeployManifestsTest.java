package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the Dockerfile and the Kubernetes manifests in {@code deploy/} against what the service
 * really does: the port and paths it serves, how long its shutdown may take, the user its image
 * runs as. The service's values are the effective ones: the container's environment (ConfigMap and
 * {@code env}) if set, else {@code application.yaml}, else Plimsoll's defaults.
 *
 * <p>Each overlay is rendered the way kustomize renders what the manifests use: resources,
 * strategic-merge patch files (maps merged, lists of named items merged by name) and {@code
 * replicas}. Any other kustomization field fails the test rather than escape the checks.
 */
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("deploy");
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path APPLICATION_YAML = Path.of("src/main/resources/application.yaml");

  private static final Set<String> UNDERSTOOD_KUSTOMIZATION_FIELDS =
      Set.of("apiVersion", "kind", "resources", "patches", "replicas", "images", "namespace");
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY).*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
  private static final int DEFAULT_PROBE_TIMEOUT_SECONDS = 1;

  static Stream<String> variants() throws IOException {
    try (Stream<Path> overlays = Files.list(DEPLOY.resolve("overlays"))) {
      List<String> names =
          overlays
              .filter(Files::isDirectory)
              .map(p -> "overlays/" + p.getFileName())
              .sorted()
              .toList();
      return Stream.concat(Stream.of("base"), names.stream());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Probes, ports and paths

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void probesUsePlimsollsHealthPaths(String name) {
    Variant variant = Variant.render(name);
    String health = setting(variant.environment(), OpsSettings.HEALTH_PATH);

    assertThat(probePath(variant, "livenessProbe"))
        .as(variant.field("livenessProbe.httpGet.path"))
        .isEqualTo(health + "/live");
    assertThat(probePath(variant, "readinessProbe"))
        .as(variant.field("readinessProbe.httpGet.path"))
        .isEqualTo(health + "/ready");
    assertThat(probePath(variant, "startupProbe"))
        .as(variant.field("startupProbe.httpGet.path"))
        .isEqualTo(health + "/started");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void probesAndContainerPortTargetTheServerPort(String name) {
    Variant variant = Variant.render(name);
    int serverPort = serverPort(variant.environment());

    assertThat(maps(variant.container().get("ports")))
        .as(variant.field("ports[].containerPort") + " includes server.port")
        .extracting(port -> toInt(port.get("containerPort")))
        .contains(serverPort);
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      Object port = at(variant.container(), probe, "httpGet", "port");
      assertThat(containerPort(variant, port, probe + ".httpGet.port"))
          .as(variant.field(probe + ".httpGet.port") + " resolves to server.port")
          .isEqualTo(serverPort);
    }
    Integer management = managementPort(variant.environment());
    if (management != null) {
      assertThat(management)
          .as(variant.name() + ": ops.management.port differs from server.port")
          .isNotEqualTo(serverPort);
      assertThat(maps(variant.container().get("ports")))
          .as(variant.field("ports[].containerPort") + " includes ops.management.port")
          .extracting(port -> toInt(port.get("containerPort")))
          .contains(management);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void serviceTargetsTheServerPort(String name) {
    Variant variant = Variant.render(name);
    Map<String, Object> service = variant.only("Service");
    int serverPort = serverPort(variant.environment());
    List<Integer> served = new ArrayList<>(List.of(serverPort));
    if (managementPort(variant.environment()) != null) {
      served.add(managementPort(variant.environment()));
    }

    assertThat(maps(at(service, "spec", "ports")))
        .as(variant.where(service, "spec.ports"))
        .isNotEmpty();
    List<Integer> targets = new ArrayList<>();
    for (Map<String, Object> port : maps(at(service, "spec", "ports"))) {
      Object target = port.getOrDefault("targetPort", port.get("port"));
      String field = "spec.ports[" + port.get("name") + "].targetPort";
      int resolved = containerPort(variant, target, field);
      assertThat(resolved)
          .as(variant.where(service, field) + " resolves to server.port or ops.management.port")
          .isIn(served);
      targets.add(resolved);
    }
    assertThat(targets)
        .as(variant.where(service, "spec.ports") + " route traffic")
        .contains(serverPort);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void serviceMonitorScrapesTheMetricsPathOnTheMetricsPort(String name) {
    Variant variant = Variant.render(name);
    Map<String, Object> monitor = variant.only("ServiceMonitor");
    Map<String, Object> service = variant.only("Service");
    String metricsPath = setting(variant.environment(), OpsSettings.METRICS_PATH);
    int metricsPort = metricsPort(variant.environment());

    assertThat(labels(service))
        .as(variant.where(monitor, "spec.selector.matchLabels") + " selects the Service")
        .containsAllEntriesOf(strings(at(monitor, "spec", "selector", "matchLabels")));
    List<Map<String, Object>> endpoints = maps(at(monitor, "spec", "endpoints"));
    assertThat(endpoints).as(variant.where(monitor, "spec.endpoints")).isNotEmpty();
    for (Map<String, Object> endpoint : endpoints) {
      assertThat(endpoint.getOrDefault("path", "/metrics"))
          .as(variant.where(monitor, "spec.endpoints[].path") + " is ops.metrics.path")
          .isEqualTo(metricsPath);
      Map<String, Object> servicePort = servicePortNamed(variant, service, endpoint.get("port"));
      Object target = servicePort.getOrDefault("targetPort", servicePort.get("port"));
      assertThat(containerPort(variant, target, "Service port " + endpoint.get("port")))
          .as(
              variant.where(monitor, "spec.endpoints[].port")
                  + " resolves to ops.management.port, else server.port")
          .isEqualTo(metricsPort);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void scrapeAnnotationsPointAtTheMetricsEndpoint(String name) {
    Variant variant = Variant.render(name);
    Map<String, String> annotations =
        strings(at(variant.deployment(), "spec", "template", "metadata", "annotations"));
    String field = "spec.template.metadata.annotations";

    assertThat(annotations)
        .as(variant.where(variant.deployment(), field))
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", String.valueOf(metricsPort(variant.environment())))
        .containsEntry(
            "prometheus.io/path", setting(variant.environment(), OpsSettings.METRICS_PATH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void probeTimeoutsExceedTheHealthCheckTimeout(String name) {
    Variant variant = Variant.render(name);
    Duration healthTimeout =
        Setting.parseDuration(setting(variant.environment(), OpsSettings.HEALTH_TIMEOUT));

    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      Object seconds = at(variant.container(), probe, "timeoutSeconds");
      Duration timeout =
          Duration.ofSeconds(seconds == null ? DEFAULT_PROBE_TIMEOUT_SECONDS : toInt(seconds));
      assertThat(timeout)
          .as(variant.field(probe + ".timeoutSeconds") + " > ops.health.timeout")
          .isGreaterThan(healthTimeout);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown and rollout

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void gracePeriodCoversTheShutdownBudget(String name) {
    Variant variant = Variant.render(name);
    Map<String, String> env = variant.environment();
    Duration drainDelay = Setting.parseDuration(setting(env, OpsSettings.SHUTDOWN_DRAIN_DELAY));
    Duration timeout = Setting.parseDuration(setting(env, OpsSettings.SHUTDOWN_TIMEOUT));
    Duration budget = Setting.parseDuration(setting(env, OpsSettings.SHUTDOWN_BUDGET));
    Object grace = at(variant.podSpec(), "terminationGracePeriodSeconds");

    assertThat(budget)
        .as(variant.name() + ": ops.shutdown.budget >= drain-delay + timeout")
        .isGreaterThanOrEqualTo(drainDelay.plus(timeout));
    assertThat(grace)
        .as(variant.where(variant.deployment(), "spec.template.spec.terminationGracePeriodSeconds"))
        .isNotNull();
    assertThat(Duration.ofSeconds(toInt(grace)))
        .as(
            variant.where(variant.deployment(), "spec.template.spec.terminationGracePeriodSeconds")
                + " >= ops.shutdown.budget")
        .isGreaterThanOrEqualTo(budget);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void rollingUpdateNeverTakesAPodAwayFirst(String name) {
    Variant variant = Variant.render(name);
    Map<String, Object> deployment = variant.deployment();

    assertThat(at(deployment, "spec", "strategy", "type"))
        .as(variant.where(deployment, "spec.strategy.type"))
        .isEqualTo("RollingUpdate");
    assertThat(
            String.valueOf(at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")))
        .as(variant.where(deployment, "spec.strategy.rollingUpdate.maxUnavailable"))
        .isIn("0", "0%");
  }

  // ---------------------------------------------------------------------------------------------
  // Security

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void containerRunsLockedDown(String name) {
    Variant variant = Variant.render(name);
    Map<String, Object> pod = map(variant.podSpec().get("securityContext"));
    Map<String, Object> container = map(variant.container().get("securityContext"));

    assertThat(container.getOrDefault("runAsNonRoot", pod.get("runAsNonRoot")))
        .as(variant.field("securityContext.runAsNonRoot") + " (or the pod's)")
        .isEqualTo(true);
    assertThat(container.get("readOnlyRootFilesystem"))
        .as(variant.field("securityContext.readOnlyRootFilesystem"))
        .isEqualTo(true);
    assertThat(container.get("allowPrivilegeEscalation"))
        .as(variant.field("securityContext.allowPrivilegeEscalation"))
        .isEqualTo(false);
    assertThat(list(at(container, "capabilities", "drop")))
        .as(variant.field("securityContext.capabilities.drop"))
        .contains("ALL");
    assertThat(at(map(container.getOrDefault("seccompProfile", pod.get("seccompProfile"))), "type"))
        .as(variant.field("securityContext.seccompProfile.type") + " (or the pod's)")
        .isEqualTo("RuntimeDefault");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void tmpIsAWritableEmptyDir(String name) {
    Variant variant = Variant.render(name);
    String volume =
        maps(variant.container().get("volumeMounts")).stream()
            .filter(mount -> "/tmp".equals(mount.get("mountPath")))
            .map(mount -> (String) mount.get("name"))
            .findFirst()
            .orElseGet(() -> fail(variant.field("volumeMounts") + " has no /tmp mount"));

    assertThat(maps(variant.podSpec().get("volumes")))
        .as(variant.where(variant.deployment(), "spec.template.spec.volumes[" + volume + "]"))
        .anySatisfy(
            v -> {
              assertThat(v.get("name")).isEqualTo(volume);
              assertThat(v).containsKey("emptyDir");
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void runsAsTheDockerfilesUser(String name) {
    Variant variant = Variant.render(name);
    Map<String, Object> pod = map(variant.podSpec().get("securityContext"));
    Map<String, Object> container = map(variant.container().get("securityContext"));
    Object runAsUser = container.getOrDefault("runAsUser", pod.get("runAsUser"));

    assertThat(runAsUser)
        .as(variant.field("securityContext.runAsUser") + " (or the pod's) is the Dockerfile's USER")
        .isNotNull();
    assertThat(toInt(runAsUser))
        .as(variant.field("securityContext.runAsUser") + " (or the pod's) is the Dockerfile's USER")
        .isEqualTo(dockerfileUid());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void configMapsHoldNoSecrets(String name) {
    Variant variant = Variant.render(name);

    assertThat(variant.all("Secret")).as(variant.name() + ": a committed Secret").isEmpty();
    for (Map<String, Object> configMap : variant.all("ConfigMap")) {
      assertThat(strings(configMap.get("data")).keySet())
          .as(variant.where(configMap, "data") + " keys")
          .noneMatch(key -> SECRET_KEY.matcher(key).matches());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void databaseCredentialsComeFromTheSecret(String name) {
    Variant variant = Variant.render(name);
    List<Map<String, Object>> env = maps(variant.container().get("env"));

    for (String variable : List.of("DATABASE_URL", "DATABASE_USERNAME", "DATABASE_PASSWORD")) {
      assertThat(env)
          .as(variant.field("env[" + variable + "]") + " from a secretKeyRef")
          .anySatisfy(
              e -> {
                assertThat(e.get("name")).isEqualTo(variable);
                assertThat(at(e, "valueFrom", "secretKeyRef", "name")).isNotNull();
                assertThat(e).doesNotContainKey("value");
              });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Overlays and the Dockerfile

  @Test
  void productionRunsAsProductionWithoutDemoFaults() {
    Variant prod = Variant.render("overlays/prod");
    Map<String, String> env = prod.environment();

    assertThat(setting(env, OpsSettings.ENVIRONMENT))
        .as(prod.name() + ": OPS_ENVIRONMENT")
        .isEqualTo("production");
    assertThat(springValue(env, "tasks.demo.enabled", "TASKS_DEMO_ENABLED", "false"))
        .as(prod.name() + ": TASKS_DEMO_ENABLED")
        .isEqualToIgnoringCase("false");
    assertThat(setting(env, OpsSettings.LOG_FORMAT))
        .as(prod.name() + ": OPS_LOG_FORMAT")
        .isEqualTo("json");
    assertThat(env)
        .as(prod.name() + ": container environment")
        .containsKey("OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void autoscalingAndDisruptionBudgetFitTheReplicas(String name) {
    Variant variant = Variant.render(name);
    Map<String, Object> hpa = variant.only("HorizontalPodAutoscaler");
    Map<String, Object> pdb = variant.only("PodDisruptionBudget");
    int replicas = toInt(at(variant.deployment(), "spec", "replicas"));
    int minReplicas = toInt(at(hpa, "spec", "minReplicas"));

    assertThat(at(hpa, "spec", "scaleTargetRef", "name"))
        .as(variant.where(hpa, "spec.scaleTargetRef.name"))
        .isEqualTo(at(variant.deployment(), "metadata", "name"));
    assertThat(replicas)
        .as(variant.where(variant.deployment(), "spec.replicas") + " within the HPA's bounds")
        .isBetween(minReplicas, toInt(at(hpa, "spec", "maxReplicas")));
    Map<String, Object> budget = map(pdb.get("spec"));
    if (budget.containsKey("minAvailable")) {
      assertThat(toInt(budget.get("minAvailable")))
          .as(variant.where(pdb, "spec.minAvailable") + " < minReplicas, or no pod can be evicted")
          .isLessThan(minReplicas);
    } else {
      assertThat(String.valueOf(budget.get("maxUnavailable")))
          .as(variant.where(pdb, "spec.maxUnavailable") + " lets a pod be evicted")
          .isNotIn("0", "0%", "null");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void selectorsMatchThePodLabels(String name) {
    Variant variant = Variant.render(name);
    Map<String, String> podLabels =
        strings(at(variant.deployment(), "spec", "template", "metadata", "labels"));

    assertThat(podLabels)
        .as(variant.where(variant.deployment(), "spec.selector.matchLabels"))
        .containsAllEntriesOf(strings(at(variant.deployment(), "spec", "selector", "matchLabels")));
    assertThat(podLabels)
        .as(variant.where(variant.only("Service"), "spec.selector"))
        .containsAllEntriesOf(strings(at(variant.only("Service"), "spec", "selector")));
    Map<String, Object> pdb = variant.only("PodDisruptionBudget");
    assertThat(podLabels)
        .as(variant.where(pdb, "spec.selector.matchLabels"))
        .containsAllEntriesOf(strings(at(pdb, "spec", "selector", "matchLabels")));
  }

  @Test
  void dockerfileExposesTheServerPortAndChecksLiveness() {
    Map<String, String> noEnvironment = Map.of();
    String port = String.valueOf(serverPort(noEnvironment));
    String live = setting(noEnvironment, OpsSettings.HEALTH_PATH) + "/live";

    assertThat(dockerfileRuntimeInstruction("EXPOSE").split("\\s+"))
        .as("Dockerfile: EXPOSE is server.port")
        .containsAnyOf(port, port + "/tcp");
    assertThat(dockerfileRuntimeInstruction("HEALTHCHECK"))
        .as("Dockerfile: HEALTHCHECK asks %s on server.port", live)
        .contains(live)
        .containsPattern("\\b" + port + "\\b");
  }

  // ---------------------------------------------------------------------------------------------
  // Effective settings: the container's environment, else application.yaml, else the default

  private static String setting(Map<String, String> env, Setting<?> setting) {
    return springValue(
        env, setting.key(), setting.environmentName(), String.valueOf(setting.defaultValue()));
  }

  private static int serverPort(Map<String, String> env) {
    return Integer.parseInt(springValue(env, "server.port", "SERVER_PORT", "8080"));
  }

  /** {@code ops.management.port}, or {@code null} when everything is served on server.port. */
  private static Integer managementPort(Map<String, String> env) {
    String port =
        springValue(
            env,
            OpsSettings.MANAGEMENT_PORT.key(),
            OpsSettings.MANAGEMENT_PORT.environmentName(),
            "");
    return port.isEmpty() ? null : Integer.valueOf(port);
  }

  /** Where {@code /metrics} answers: the management port when set, else the server port. */
  private static int metricsPort(Map<String, String> env) {
    Integer management = managementPort(env);
    return management != null ? management : serverPort(env);
  }

  private static String springValue(
      Map<String, String> env, String key, String environmentName, String fallback) {
    if (env.containsKey(environmentName)) {
      return env.get(environmentName);
    }
    Object configured = ApplicationYaml.VALUES.get(canonical(key));
    return configured == null ? fallback : resolvePlaceholders(String.valueOf(configured), env);
  }

  /** Resolves {@code ${NAME:default}} as Spring does, against the container's environment. */
  private static String resolvePlaceholders(String value, Map<String, String> env) {
    Matcher matcher = PLACEHOLDER.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String replacement = env.containsKey(name) ? env.get(name) : matcher.group(2);
      if (replacement == null) {
        fail("application.yaml: ${%s} has no default and the container does not set it", name);
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    return matcher.appendTail(resolved).toString();
  }

  /** Spring's relaxed form: {@code drain-delay} and {@code drainDelay} are the same key. */
  private static String canonical(String key) {
    return key.replace("-", "").toLowerCase(Locale.ROOT);
  }

  /** application.yaml flattened to canonical dotted keys. */
  private static final class ApplicationYaml {
    static final Map<String, Object> VALUES = load();

    private static Map<String, Object> load() {
      Map<String, Object> values = new LinkedHashMap<>();
      for (Object document : loadAll(APPLICATION_YAML)) {
        if (at(map(document), "spring", "config", "activate") == null) {
          flatten("", map(document), values);
        }
      }
      return values;
    }

    private static void flatten(String prefix, Map<String, Object> node, Map<String, Object> out) {
      node.forEach(
          (key, value) -> {
            String path = prefix + canonical(key);
            if (value instanceof Map<?, ?>) {
              flatten(path + ".", map(value), out);
            } else {
              out.put(path, value);
            }
          });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Ports

  /** The container port a probe or Service names, by number or by the container port's name. */
  private static int containerPort(Variant variant, Object port, String what) {
    if (port instanceof Integer number) {
      return number;
    }
    return maps(variant.container().get("ports")).stream()
        .filter(p -> String.valueOf(port).equals(p.get("name")))
        .map(p -> toInt(p.get("containerPort")))
        .findFirst()
        .orElseGet(
            () -> fail("%s: %s '%s' is no container port's name", variant.name(), what, port));
  }

  private static Map<String, Object> servicePortNamed(
      Variant variant, Map<String, Object> service, Object name) {
    return maps(at(service, "spec", "ports")).stream()
        .filter(p -> String.valueOf(name).equals(p.get("name")))
        .findFirst()
        .orElseGet(
            () ->
                fail(
                    "%s: ServiceMonitor port '%s' is no Service port's name",
                    variant.name(), name));
  }

  private static Map<String, String> labels(Map<String, Object> resource) {
    return strings(at(resource, "metadata", "labels"));
  }

  private static String probePath(Variant variant, String probe) {
    return (String) at(variant.container(), probe, "httpGet", "path");
  }

  // ---------------------------------------------------------------------------------------------
  // The Dockerfile

  private static int dockerfileUid() {
    String user = dockerfileRuntimeInstruction("USER").split(":")[0];
    assertThat(user).as("Dockerfile: USER is a numeric UID (for runAsNonRoot)").matches("\\d+");
    return Integer.parseInt(user);
  }

  /** The arguments of an instruction in the last stage, continuation lines joined. */
  private static String dockerfileRuntimeInstruction(String instruction) {
    String text = read(DOCKERFILE).replaceAll("\\\\\\r?\\n", " ");
    List<String> lines =
        text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    int lastFrom = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).toUpperCase(Locale.ROOT).startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    String found = null;
    for (String line : lines.subList(lastFrom, lines.size())) {
      String[] parts = line.split("\\s+", 2);
      if (parts[0].equalsIgnoreCase(instruction) && parts.length == 2) {
        found = parts[1];
      }
    }
    assertThat(found).as("Dockerfile: %s in the runtime stage", instruction).isNotNull();
    return found;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering, a minimal kustomize

  /** The resources one kustomization directory renders to. */
  private record Variant(String name, List<Map<String, Object>> resources) {

    static Variant render(String name) {
      return new Variant("deploy/" + name, kustomize(DEPLOY.resolve(name)));
    }

    List<Map<String, Object>> all(String kind) {
      return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    Map<String, Object> only(String kind) {
      assertThat(all(kind)).as("%s: resources of kind %s", name, kind).hasSize(1);
      return all(kind).get(0);
    }

    Map<String, Object> deployment() {
      return only("Deployment");
    }

    Map<String, Object> podSpec() {
      return map(at(deployment(), "spec", "template", "spec"));
    }

    /** The service's container: the one named like the Deployment. */
    Map<String, Object> container() {
      Object deploymentName = at(deployment(), "metadata", "name");
      return maps(podSpec().get("containers")).stream()
          .filter(c -> deploymentName.equals(c.get("name")))
          .findFirst()
          .orElseGet(() -> fail("%s: no container named %s", name, deploymentName));
    }

    /** The container's environment: ConfigMaps by envFrom, then literal env values over them. */
    Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      for (Map<String, Object> source : maps(container().get("envFrom"))) {
        Object configMap = at(source, "configMapRef", "name");
        if (configMap != null) {
          env.putAll(strings(named("ConfigMap", configMap).get("data")));
        }
      }
      for (Map<String, Object> variable : maps(container().get("env"))) {
        if (variable.containsKey("value")) {
          env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
      }
      return env;
    }

    Map<String, Object> named(String kind, Object resourceName) {
      return all(kind).stream()
          .filter(r -> resourceName.equals(at(r, "metadata", "name")))
          .findFirst()
          .orElseGet(() -> fail("%s: no %s named %s", name, kind, resourceName));
    }

    /** Names a field of the service's container, for assertion messages. */
    String field(String path) {
      return where(
          deployment(), "spec.template.spec.containers[" + container().get("name") + "]." + path);
    }

    String where(Map<String, Object> resource, String path) {
      return name
          + ", "
          + resource.get("kind")
          + " "
          + at(resource, "metadata", "name")
          + ", "
          + path;
    }
  }

  private static List<Map<String, Object>> kustomize(Path directory) {
    Path file = directory.resolve("kustomization.yaml");
    Map<String, Object> kustomization = map(loadAll(file).get(0));
    assertThat(kustomization.keySet())
        .as("%s: fields DeployManifestsTest can render (teach it the others)", file)
        .isSubsetOf(UNDERSTOOD_KUSTOMIZATION_FIELDS);

    List<Map<String, Object>> resources = new ArrayList<>();
    for (Object entry : list(kustomization.get("resources"))) {
      Path path = directory.resolve((String) entry).normalize();
      if (Files.isDirectory(path)) {
        resources.addAll(kustomize(path));
      } else {
        loadAll(path).forEach(document -> resources.add(map(document)));
      }
    }
    for (Map<String, Object> patch : maps(kustomization.get("patches"))) {
      assertThat(patch.keySet())
          .as("%s: patches (strategic-merge files only)", file)
          .containsExactly("path");
      Map<String, Object> body = map(loadAll(directory.resolve((String) patch.get("path"))).get(0));
      mergePatch(find(resources, body.get("kind"), at(body, "metadata", "name"), file), body);
    }
    for (Map<String, Object> replicas : maps(kustomization.get("replicas"))) {
      Map<String, Object> deployment = find(resources, "Deployment", replicas.get("name"), file);
      map(deployment.get("spec")).put("replicas", replicas.get("count"));
    }
    return resources;
  }

  private static Map<String, Object> find(
      List<Map<String, Object>> resources, Object kind, Object name, Path file) {
    return resources.stream()
        .filter(r -> kind.equals(r.get("kind")) && name.equals(at(r, "metadata", "name")))
        .findFirst()
        .orElseGet(() -> fail("%s: patches %s %s, which no resource is", file, kind, name));
  }

  /** Kubernetes' strategic merge, as far as the manifests use it. */
  private static void mergePatch(Map<String, Object> target, Map<String, Object> patch) {
    patch.forEach(
        (key, change) -> {
          assertThat(key).as("patch directive (unsupported)").doesNotStartWith("$");
          Object current = target.get(key);
          if (change == null) {
            target.remove(key);
          } else if (current instanceof Map<?, ?> && change instanceof Map<?, ?>) {
            mergePatch(map(current), map(change));
          } else if (isNamedList(current) && isNamedList(change)) {
            mergeByName(maps(current), maps(change));
          } else {
            target.put(key, change);
          }
        });
  }

  private static boolean isNamedList(Object value) {
    return value instanceof List<?> items
        && items.stream().allMatch(item -> item instanceof Map<?, ?> m && m.containsKey("name"));
  }

  private static void mergeByName(
      List<Map<String, Object>> target, List<Map<String, Object>> patch) {
    for (Map<String, Object> change : patch) {
      target.stream()
          .filter(item -> change.get("name").equals(item.get("name")))
          .findFirst()
          .ifPresentOrElse(item -> mergePatch(item, change), () -> target.add(change));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // YAML

  private static List<Object> loadAll(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      List<Object> documents = new ArrayList<>();
      new Yaml()
          .loadAll(reader)
          .forEach(
              document -> {
                if (document != null) {
                  documents.add(document);
                }
              });
      return documents;
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file.toAbsolutePath(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file.toAbsolutePath(), e);
    }
  }

  /** The value at a path of map keys, or null when any step is missing. */
  private static Object at(Map<String, Object> root, String... path) {
    Object node = root;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> current)) {
        return null;
      }
      node = current.get(key);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    return value == null ? new ArrayList<>() : (List<Map<String, Object>>) value;
  }

  /** A map of strings, such as labels or ConfigMap data; a non-string value is a mistake there. */
  private static Map<String, String> strings(Object value) {
    Map<String, String> strings = new LinkedHashMap<>();
    map(value)
        .forEach(
            (key, v) -> {
              assertThat(v)
                  .as("value of %s (quote it: Kubernetes wants a string)", key)
                  .isInstanceOf(String.class);
              strings.put(key, (String) v);
            });
    return strings;
  }

  private static int toInt(Object value) {
    return value instanceof Integer number ? number : Integer.parseInt(String.valueOf(value));
  }
}
