package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import dev.plimsoll.ops.testsupport.KubernetesManifests;
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
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Each overlay is rendered by the real {@code kubectl kustomize}: the environments (dev, prod)
 * and the progressive-delivery variants on top of prod (Argo Rollouts canary and blue-green,
 * Flagger), so every check holds for what a cluster or Argo CD would get. The Argo Rollouts and
 * Flagger checks follow their documented behaviour: Flagger rewrites the selector label ({@code
 * app.kubernetes.io/name}) of its primary pods and owns the Services; a Rollout with a workloadRef
 * takes the Deployment's pod template.
 */
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("deploy");
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path APPLICATION_YAML = Path.of("src/main/resources/application.yaml");

  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY).*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
  private static final int DEFAULT_PROBE_TIMEOUT_SECONDS = 1;
  private static final String VERSION_LABEL = "app.kubernetes.io/version";
  private static final String GATE = "plimsoll-canary-gate";

  static Stream<String> variants() throws IOException {
    try (Stream<Path> overlays = Files.list(DEPLOY.resolve("overlays"))) {
      List<String> names =
          overlays
              .filter(Files::isDirectory)
              .map(p -> "overlays/" + p.getFileName())
              .sorted()
              .toList();
      return names.stream();
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
    int serverPort = serverPort(variant.environment());
    List<Integer> served = new ArrayList<>(List.of(serverPort));
    if (managementPort(variant.environment()) != null) {
      served.add(managementPort(variant.environment()));
    }
    if (!variant.all("Canary").isEmpty()) {
      // Flagger generates the Services: the apex port to service.targetPort, and with
      // portDiscovery every other container port (the management port) on its own port.
      Map<String, Object> canary = variant.only("Canary");
      assertThat(variant.all("Service"))
          .as(name + ": no Service of its own beside Flagger's (each sync would undo Flagger)")
          .isEmpty();
      assertThat(containerPort(variant, at(canary, "spec", "service", "targetPort"), "targetPort"))
          .as(variant.where(canary, "spec.service.targetPort"))
          .isEqualTo(serverPort);
      assertThat(at(canary, "spec", "service", "portDiscovery"))
          .as(variant.where(canary, "spec.service.portDiscovery") + " keeps the management port")
          .isEqualTo(true);
      return;
    }
    Map<String, Object> service = variant.named("Service", "example-service");
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
  void podMonitorScrapesTheMetricsPathOnTheMetricsPortOfEveryPod(String name) {
    Variant variant = Variant.render(name);
    Map<String, Object> monitor = variant.only("PodMonitor");
    String metricsPath = setting(variant.environment(), OpsSettings.METRICS_PATH);
    int metricsPort = metricsPort(variant.environment());

    Map<String, String> selector = strings(at(monitor, "spec", "selector", "matchLabels"));
    assertThat(variant.podLabels())
        .as(variant.where(monitor, "spec.selector.matchLabels") + " selects the pods")
        .containsAllEntriesOf(selector);
    assertThat(flaggerPrimaryLabels(variant))
        .as(variant.where(monitor, "spec.selector.matchLabels") + " selects Flagger's primary pods")
        .containsAllEntriesOf(selector);
    List<Map<String, Object>> endpoints = maps(at(monitor, "spec", "podMetricsEndpoints"));
    assertThat(endpoints).as(variant.where(monitor, "spec.podMetricsEndpoints")).isNotEmpty();
    for (Map<String, Object> endpoint : endpoints) {
      assertThat(endpoint.getOrDefault("path", "/metrics"))
          .as(variant.where(monitor, "spec.podMetricsEndpoints[].path") + " is ops.metrics.path")
          .isEqualTo(metricsPath);
      assertThat(containerPort(variant, endpoint.get("port"), "PodMonitor port"))
          .as(
              variant.where(monitor, "spec.podMetricsEndpoints[].port")
                  + " resolves to ops.management.port, else server.port")
          .isEqualTo(metricsPort);
      // The canary gates read one-minute windows: at least four samples a minute.
      assertThat(String.valueOf(endpoint.get("interval")))
          .as(variant.where(monitor, "spec.podMetricsEndpoints[].interval") + " in seconds")
          .matches("\\d+s");
      assertThat(Integer.parseInt(String.valueOf(endpoint.get("interval")).replace("s", "")))
          .as(variant.where(monitor, "spec.podMetricsEndpoints[].interval"))
          .isLessThanOrEqualTo(15);
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
  void theAutoscalerOwnsTheReplicaCount(String name) {
    Variant variant = Variant.render(name);
    Map<String, Object> hpa = variant.only("HorizontalPodAutoscaler");
    Map<String, Object> pdb = variant.only("PodDisruptionBudget");
    int minReplicas = toInt(at(hpa, "spec", "minReplicas"));

    // A count in the manifests would reset the autoscaled one at every apply or sync.
    for (String kind : List.of("Deployment", "Rollout")) {
      for (Map<String, Object> workload : variant.all(kind)) {
        assertThat(map(workload.get("spec")))
            .as(variant.where(workload, "spec.replicas") + " (the HPA owns the count)")
            .doesNotContainKey("replicas");
      }
    }
    // The HPA scales what runs the pods: the Rollout where there is one, else the Deployment
    // (Flagger copies it for the primary: autoscalerRef).
    String target = variant.all("Rollout").isEmpty() ? "Deployment" : "Rollout";
    assertThat(at(hpa, "spec", "scaleTargetRef", "kind"))
        .as(variant.where(hpa, "spec.scaleTargetRef.kind"))
        .isEqualTo(target);
    assertThat(at(hpa, "spec", "scaleTargetRef", "name"))
        .as(variant.where(hpa, "spec.scaleTargetRef.name"))
        .isEqualTo(at(variant.only(target), "metadata", "name"));
    for (Map<String, Object> canary : variant.all("Canary")) {
      assertThat(at(canary, "spec", "autoscalerRef", "name"))
          .as(variant.where(canary, "spec.autoscalerRef.name"))
          .isEqualTo(at(hpa, "metadata", "name"));
    }
    assertThat(minReplicas).as(variant.where(hpa, "spec.minReplicas")).isPositive();
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
    Map<String, String> podLabels = variant.podLabels();

    assertThat(podLabels)
        .as(variant.where(variant.deployment(), "spec.selector.matchLabels"))
        .containsAllEntriesOf(strings(at(variant.deployment(), "spec", "selector", "matchLabels")));
    for (Map<String, Object> service : variant.all("Service")) {
      assertThat(podLabels)
          .as(variant.where(service, "spec.selector"))
          .containsAllEntriesOf(strings(at(service, "spec", "selector")));
    }
    Map<String, Object> pdb = variant.only("PodDisruptionBudget");
    Map<String, String> budgeted = strings(at(pdb, "spec", "selector", "matchLabels"));
    assertThat(podLabels)
        .as(variant.where(pdb, "spec.selector.matchLabels"))
        .containsAllEntriesOf(budgeted);
    assertThat(flaggerPrimaryLabels(variant))
        .as(
            variant.where(pdb, "spec.selector.matchLabels")
                + " also protects Flagger's primary pods")
        .containsAllEntriesOf(budgeted);
  }

  /**
   * The version is the image tag, in one place per environment: the pods carry it as {@code
   * app.kubernetes.io/version} and the process gets it through the Downward API, so the metrics,
   * logs and gates name the version Kubernetes runs.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void theVersionIsTheImageTagAndReachesTheProcess(String name) {
    Variant variant = Variant.render(name);
    String image = (String) variant.container().get("image");
    String tag = image.substring(image.lastIndexOf(':') + 1);
    assertThat(tag).as(variant.field("image") + " has a tag").isNotBlank().doesNotContain("/");
    assertThat(variant.podLabels())
        .as(variant.where(variant.deployment(), "spec.template.metadata.labels"))
        .containsEntry(VERSION_LABEL, tag);
    assertThat(labels(variant.deployment())).containsEntry(VERSION_LABEL, tag);
    Map<String, Object> versionVariable =
        maps(variant.container().get("env")).stream()
            .filter(v -> OpsSettings.SERVICE_VERSION.environmentName().equals(v.get("name")))
            .findFirst()
            .orElseGet(() -> fail("%s: no OPS_SERVICE_VERSION", variant.field("env")));
    assertThat(at(versionVariable, "valueFrom", "fieldRef", "fieldPath"))
        .as(variant.field("env[OPS_SERVICE_VERSION]"))
        .isEqualTo("metadata.labels['" + VERSION_LABEL + "']");
    for (Map<String, Object> canary : variant.all("Canary")) {
      for (Map<String, Object> metric : maps(at(canary, "spec", "analysis", "metrics"))) {
        assertThat(at(metric, "templateVariables", "service_version"))
            .as(variant.where(canary, "spec.analysis.metrics[" + metric.get("name") + "]"))
            .isEqualTo(tag);
      }
    }
  }

  /** A rollout that stops progressing is failed after the 10-minute deployment KPI. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void aStuckRolloutFailsAfterTenMinutes(String name) {
    Variant variant = Variant.render(name);
    assertThat(at(variant.deployment(), "spec", "progressDeadlineSeconds"))
        .as(variant.where(variant.deployment(), "spec.progressDeadlineSeconds"))
        .isEqualTo(600);
    for (String kind : List.of("Rollout", "Canary")) {
      for (Map<String, Object> workload : variant.all(kind)) {
        assertThat(at(workload, "spec", "progressDeadlineSeconds"))
            .as(variant.where(workload, "spec.progressDeadlineSeconds"))
            .isEqualTo(600);
      }
    }
  }

  /**
   * The Argo Rollouts variants: the canary steps 20/40/60/80% with the gate after each; the
   * blue-green judged before (with a load test) and after promotion; the gate's arguments are the
   * service's name and the version of the new pods.
   */
  @Test
  void argoRolloutsJudgeEveryStepWithTheGate() {
    Variant canary = Variant.render("overlays/prod-argo-canary");
    Map<String, Object> rollout = canary.only("Rollout");
    assertThat(at(rollout, "spec", "workloadRef", "name"))
        .isEqualTo(at(canary.deployment(), "metadata", "name"));
    List<Map<String, Object>> steps = maps(at(rollout, "spec", "strategy", "canary", "steps"));
    List<Object> weights = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Map<String, Object> step = steps.get(i);
      if (step.containsKey("setWeight")) {
        weights.add(step.get("setWeight"));
        assertThat(i + 1)
            .as("a step after setWeight %s", step.get("setWeight"))
            .isLessThan(steps.size());
        assertGate(canary, map(steps.get(i + 1).get("analysis")));
      }
    }
    assertThat(weights).containsExactly(20, 40, 60, 80);
    assertThat(canary.named("AnalysisTemplate", GATE)).isNotNull();

    Variant blueGreen = Variant.render("overlays/prod-argo-bluegreen");
    Map<String, Object> strategy =
        map(at(blueGreen.only("Rollout"), "spec", "strategy", "blueGreen"));
    assertThat(blueGreen.named("Service", strategy.get("activeService"))).isNotNull();
    assertThat(blueGreen.named("Service", strategy.get("previewService"))).isNotNull();
    Map<String, Object> before = map(strategy.get("prePromotionAnalysis"));
    assertGate(blueGreen, before);
    assertThat(maps(before.get("templates")))
        .extracting(t -> t.get("templateName"))
        .as("the preview gets requests to judge")
        .contains("plimsoll-load-test");
    assertThat(blueGreen.named("AnalysisTemplate", "plimsoll-load-test")).isNotNull();
    assertGate(blueGreen, map(strategy.get("postPromotionAnalysis")));
  }

  private static void assertGate(Variant variant, Map<String, Object> analysis) {
    assertThat(maps(analysis.get("templates")))
        .extracting(t -> t.get("templateName"))
        .as(variant.name() + ": the analysis runs the canary gate")
        .contains(GATE);
    Map<String, Map<String, Object>> args = new LinkedHashMap<>();
    maps(analysis.get("args")).forEach(a -> args.put(String.valueOf(a.get("name")), a));
    assertThat(args.get("service-name").get("value"))
        .as(variant.name() + ": service-name is spring.application.name (ops.service.name)")
        .isEqualTo(ApplicationYaml.VALUES.get("spring.application.name"));
    // Argo Rollouts resolves metadata paths with the Kubernetes field-path syntax; any other path
    // is split on every dot (utils/analysis/factory.go, extractValueFromRollout), which the key
    // app.kubernetes.io/version would not survive. So the Rollout carries the version itself.
    assertThat(at(args.get("service-version"), "valueFrom", "fieldRef", "fieldPath"))
        .as(variant.name() + ": service-version is the Rollout's version label")
        .isEqualTo("metadata.labels['" + VERSION_LABEL + "']");
    assertThat(labels(variant.only("Rollout")))
        .as(variant.name() + ": the Rollout's version label is the new pods'")
        .containsEntry(VERSION_LABEL, variant.podLabels().get(VERSION_LABEL));
  }

  /**
   * The Flagger variant: the gate's three metrics each minute, a load test so an idle environment
   * still gets a verdict, and the Deployment it targets.
   */
  @Test
  void flaggerJudgesTheCanaryUnderLoad() {
    Variant flagger = Variant.render("overlays/prod-flagger");
    Map<String, Object> canary = flagger.only("Canary");
    assertThat(at(canary, "spec", "targetRef", "kind")).isEqualTo("Deployment");
    assertThat(at(canary, "spec", "targetRef", "name"))
        .isEqualTo(at(flagger.deployment(), "metadata", "name"));
    for (Map<String, Object> metric : maps(at(canary, "spec", "analysis", "metrics"))) {
      Object template = at(metric, "templateRef", "name");
      assertThat(flagger.named("MetricTemplate", template)).isNotNull();
      assertThat(at(metric, "templateVariables", "service_name"))
          .isEqualTo(ApplicationYaml.VALUES.get("spring.application.name"));
    }
    List<Map<String, Object>> webhooks = maps(at(canary, "spec", "analysis", "webhooks"));
    assertThat(webhooks)
        .as("a load-test webhook (flagger-loadtester)")
        .anySatisfy(
            hook -> {
              assertThat(hook.get("type")).isEqualTo("rollout");
              assertThat(String.valueOf(hook.get("url"))).contains("flagger-loadtester");
              assertThat(String.valueOf(at(hook, "metadata", "cmd")))
                  .contains("example-service-canary");
            });
  }

  @Test
  void theImageKnowsItsVersionAndRevision() {
    // The build context has no .git: the revision comes in as a build argument, is stamped into
    // the jar's manifest, labels the image and reaches the process with the version.
    assertThat(dockerfileInstructions("RUN", false))
        .as("Dockerfile: the jar is built with the REVISION argument as its commit")
        .anySatisfy(run -> assertThat(run).contains("-Dgit.commit.id=$REVISION"));
    assertThat(dockerfileInstructions("ARG", true)).contains("REVISION", "VERSION");
    assertThat(String.join(" ", dockerfileInstructions("LABEL", true)))
        .contains("org.opencontainers.image.version=\"${VERSION}\"")
        .contains("org.opencontainers.image.revision=\"${REVISION}\"");
    assertThat(String.join(" ", dockerfileInstructions("ENV", true)))
        .contains(OpsSettings.SERVICE_VERSION.environmentName() + "=\"${VERSION}\"")
        .contains(OpsSettings.VCS_REVISION.environmentName() + "=\"${REVISION}\"");
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

  /**
   * The labels of Flagger's primary pods: the pod template's, with the selector label (the first of
   * app, name, app.kubernetes.io/name in the Deployment's selector) set to {@code <name>-primary},
   * as Flagger's deployment controller makes them.
   */
  private static Map<String, String> flaggerPrimaryLabels(Variant variant) {
    Map<String, String> labels = new LinkedHashMap<>(variant.podLabels());
    Map<String, String> selector =
        strings(at(variant.deployment(), "spec", "selector", "matchLabels"));
    for (String key : List.of("app", "name", "app.kubernetes.io/name")) {
      if (selector.containsKey(key)) {
        labels.put(key, at(variant.deployment(), "metadata", "name") + "-primary");
        break;
      }
    }
    return labels;
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
    List<String> found = dockerfileInstructions(instruction, true);
    assertThat(found).as("Dockerfile: %s in the runtime stage", instruction).isNotEmpty();
    return found.get(found.size() - 1);
  }

  /** The arguments of every such instruction, in the runtime stage or in the whole file. */
  private static List<String> dockerfileInstructions(String instruction, boolean runtimeOnly) {
    String text = read(DOCKERFILE).replaceAll("\\\\\\r?\\n", " ");
    List<String> lines =
        text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    int lastFrom = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).toUpperCase(Locale.ROOT).startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    List<String> found = new ArrayList<>();
    for (String line : runtimeOnly ? lines.subList(lastFrom, lines.size()) : lines) {
      String[] parts = line.split("\\s+", 2);
      if (parts[0].equalsIgnoreCase(instruction) && parts.length == 2) {
        found.add(parts[1]);
      }
    }
    return found;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  /** The resources one kustomization directory renders to. */
  private record Variant(String name, List<Map<String, Object>> resources) {

    /** Each overlay rendered once: every check only reads the resources. */
    private static final Map<String, Variant> RENDERED = new ConcurrentHashMap<>();

    static Variant render(String name) {
      return RENDERED.computeIfAbsent(
          name, n -> new Variant("deploy/" + n, KubernetesManifests.render(DEPLOY.resolve(n))));
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

    Map<String, String> podLabels() {
      return strings(at(deployment(), "spec", "template", "metadata", "labels"));
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
