package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.KubernetesManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GitOps side of {@code deploy/}: Argo CD's project and Applications point at the overlays they
 * are meant to sync, with the sync policy of their environment, and allow every kind the overlays
 * render; the PostgreSQL environments migrate in a Job before the rollout; and {@code
 * scripts/overlay.sh}, which the workflows use, reads what the rendered overlays say.
 */
class DeliveryManifestsTest {

  private static final Path DEPLOY = Path.of("deploy");
  private static final String REPOSITORY = "https://github.com/plimsoll-ops/plimsoll.git";

  @Test
  void everyEnvironmentHasAnApplicationSyncingItsOverlayIntoItsNamespace() {
    List<Map<String, Object>> argocd = KubernetesManifests.render(DEPLOY.resolve("argocd"));
    Map<String, Object> project = only(argocd, "AppProject");
    List<Map<String, Object>> applications = all(argocd, "Application");
    assertThat(applications)
        .extracting(app -> at(app, "metadata", "name"))
        .containsExactlyInAnyOrder(
            "example-service-dev", "example-service-staging", "example-service-prod");
    Set<Object> allowedNamespaces = new HashSet<>();
    for (Map<String, Object> destination : maps(at(project, "spec", "destinations"))) {
      allowedNamespaces.add(destination.get("namespace"));
    }
    for (Map<String, Object> application : applications) {
      String environment =
          at(application, "metadata", "name").toString().substring("example-service-".length());
      String overlay = "example-service/deploy/overlays/" + environment;
      String where = "Application " + at(application, "metadata", "name");
      assertThat(at(application, "spec", "project"))
          .as(where)
          .isEqualTo(at(project, "metadata", "name"));
      assertThat(at(application, "spec", "source", "repoURL")).as(where).isEqualTo(REPOSITORY);
      assertThat(list(at(project, "spec", "sourceRepos"))).contains(REPOSITORY);
      assertThat(at(application, "spec", "source", "path")).as(where).isEqualTo(overlay);
      Object namespace = at(application, "spec", "destination", "namespace");
      assertThat(namespace)
          .as(where + ": the overlay's namespace")
          .isEqualTo(namespaceOf(render(environment)));
      assertThat(allowedNamespaces)
          .as(where + ": the project allows its namespace")
          .contains(namespace);
    }
  }

  @Test
  void devSyncsAndHealsItselfAndProdWaitsForAPerson() {
    List<Map<String, Object>> argocd = KubernetesManifests.render(DEPLOY.resolve("argocd"));
    Map<String, Object> dev = named(argocd, "example-service-dev");
    assertThat(at(dev, "spec", "syncPolicy", "automated", "selfHeal")).isEqualTo(true);
    assertThat(at(dev, "spec", "syncPolicy", "automated", "prune")).isEqualTo(true);
    Map<String, Object> staging = named(argocd, "example-service-staging");
    assertThat(at(staging, "spec", "syncPolicy", "automated")).isNotNull();
    Map<String, Object> prod = named(argocd, "example-service-prod");
    assertThat(at(prod, "spec", "syncPolicy", "automated")).as("prod syncs by hand").isNull();
    for (Map<String, Object> application : all(argocd, "Application")) {
      Map<String, Object> annotations = map(at(application, "metadata", "annotations"));
      assertThat(annotations)
          .containsKeys(
              "notifications.argoproj.io/subscribe.on-sync-failed.slack",
              "notifications.argoproj.io/subscribe.on-health-degraded.slack");
    }
    Map<String, Object> notifications =
        only(KubernetesManifests.render(DEPLOY.resolve("argocd/notifications")), "ConfigMap");
    assertThat(map(notifications.get("data")))
        .containsKeys(
            "trigger.on-sync-failed",
            "trigger.on-health-degraded",
            "template.app-sync-failed",
            "template.app-health-degraded");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "dev",
        "staging",
        "prod",
        "prod-argo-canary",
        "prod-argo-bluegreen",
        "prod-flagger"
      })
  void theProjectAllowsEveryKindTheOverlayRenders(String overlay) {
    Map<String, Object> project =
        only(KubernetesManifests.render(DEPLOY.resolve("argocd")), "AppProject");
    Set<String> allowed = new HashSet<>();
    for (Map<String, Object> kind : maps(at(project, "spec", "namespaceResourceWhitelist"))) {
      allowed.add(kind.get("group") + "/" + kind.get("kind"));
    }
    for (Map<String, Object> resource : render(overlay)) {
      String apiVersion = resource.get("apiVersion").toString();
      String group =
          apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      assertThat(allowed).as(overlay).contains(group + "/" + resource.get("kind"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"staging", "prod", "prod-argo-canary", "prod-argo-bluegreen", "prod-flagger"})
  void postgresEnvironmentsMigrateInAJobBeforeTheRollout(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    Map<String, Object> job = only(resources, "Job");
    assertThat(map(at(job, "metadata", "annotations")))
        .containsEntry("argocd.argoproj.io/hook", "PreSync");
    Map<String, Object> container = maps(at(job, "spec", "template", "spec", "containers")).get(0);
    assertThat(list(container.get("args"))).containsExactly(ExampleServiceApplication.MIGRATE);
    assertThat(container.get("image"))
        .as("the migrations of the version being rolled out")
        .isEqualTo(serviceImage(resources));
    for (Map<String, Object> variable : maps(container.get("env"))) {
      assertThat(at(variable, "valueFrom", "secretKeyRef", "name"))
          .as(variable.get("name") + ": the migration user's credentials")
          .isEqualTo("example-service-migration");
    }
    assertThat(at(only(resources, "ConfigMap"), "data", "SPRING_FLYWAY_ENABLED"))
        .as("the service itself does not migrate")
        .isEqualTo("false");
    assertThat(map(at(job, "spec", "template", "metadata", "labels")))
        .as("not selected by the PDB and the PodMonitor")
        .doesNotContainKey("app.kubernetes.io/instance");
  }

  @Test
  void devMigratesAtStartupAsTheSingleProcessDefault() {
    List<Map<String, Object>> dev = render("dev");
    assertThat(all(dev, "Job")).isEmpty();
    assertThat(map(at(only(dev, "ConfigMap"), "data"))).doesNotContainKey("SPRING_FLYWAY_ENABLED");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"prod", "prod-argo-canary", "prod-argo-bluegreen", "prod-flagger"})
  void productionIsReachedOverTlsWithARateLimitAndManagementOnlyFromMonitoring(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    Map<String, Object> ingress = only(resources, "Ingress");
    Map<String, Object> annotations = map(at(ingress, "metadata", "annotations"));
    assertThat(annotations)
        .containsKey("cert-manager.io/cluster-issuer")
        .containsKey("nginx.ingress.kubernetes.io/limit-rps")
        .containsEntry("nginx.ingress.kubernetes.io/force-ssl-redirect", "true");
    Map<String, Object> tls = maps(at(ingress, "spec", "tls")).get(0);
    Map<String, Object> rule = maps(at(ingress, "spec", "rules")).get(0);
    assertThat(list(tls.get("hosts"))).containsExactly(rule.get("host"));
    for (Map<String, Object> path : maps(at(rule, "http", "paths"))) {
      assertThat(at(path, "backend", "service", "port", "name"))
          .as("only the main port is exposed")
          .isEqualTo("http");
    }

    Map<String, Object> policy = only(resources, "NetworkPolicy");
    Map<String, Object> podLabels = new HashMap<>();
    for (Map<String, Object> resource : resources) {
      if (List.of("Deployment", "Rollout").contains(resource.get("kind"))) {
        Object labels = at(resource, "spec", "template", "metadata", "labels");
        if (labels != null) {
          podLabels.putAll(map(labels));
        }
      }
    }
    assertThat(podLabels)
        .as("the policy selects the service's pods")
        .containsAllEntriesOf(map(at(policy, "spec", "podSelector", "matchLabels")));
    Map<Object, List<Object>> namespacesByPort = new HashMap<>();
    for (Map<String, Object> ingressRule : maps(at(policy, "spec", "ingress"))) {
      List<Object> namespaces = new ArrayList<>();
      for (Map<String, Object> from : maps(ingressRule.get("from"))) {
        namespaces.add(at(from, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"));
      }
      for (Map<String, Object> port : maps(ingressRule.get("ports"))) {
        namespacesByPort
            .computeIfAbsent(port.get("port"), p -> new ArrayList<>())
            .addAll(namespaces);
      }
    }
    assertThat(namespacesByPort)
        .containsOnlyKeys("http", "management")
        .containsEntry("management", List.of("monitoring"))
        .containsEntry("http", List.of("ingress-nginx"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "staging", "prod"})
  void overlayScriptReadsWhatTheOverlayRenders(String environment) throws Exception {
    List<Map<String, Object>> resources = render(environment);
    String image = serviceImage(resources);
    assertThat(overlayScript(environment, "image")).isEqualTo(image);
    assertThat(overlayScript(environment, "tag"))
        .isEqualTo(image.substring(image.indexOf(':') + 1));
    assertThat(overlayScript(environment, "namespace")).isEqualTo(namespaceOf(resources));
  }

  private static String overlayScript(String environment, String what) throws Exception {
    Process process =
        new ProcessBuilder(Path.of("../scripts/overlay.sh").toString(), environment, what)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output.strip();
  }

  private static String serviceImage(List<Map<String, Object>> resources) {
    for (Map<String, Object> resource : resources) {
      if (List.of("Deployment", "Rollout").contains(resource.get("kind"))) {
        Object containers = at(resource, "spec", "template", "spec", "containers");
        if (containers != null) {
          return maps(containers).get(0).get("image").toString();
        }
      }
    }
    throw new AssertionError("no Deployment or Rollout with a pod template");
  }

  private static Object namespaceOf(List<Map<String, Object>> resources) {
    return at(only(resources, "ConfigMap"), "metadata", "namespace");
  }

  private static List<Map<String, Object>> render(String overlay) {
    return KubernetesManifests.render(DEPLOY.resolve("overlays").resolve(overlay));
  }

  private static Map<String, Object> named(List<Map<String, Object>> resources, String name) {
    return resources.stream()
        .filter(r -> name.equals(at(r, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no resource named " + name));
  }

  private static List<Map<String, Object>> all(List<Map<String, Object>> resources, String kind) {
    return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
  }

  private static Map<String, Object> only(List<Map<String, Object>> resources, String kind) {
    assertThat(all(resources, kind)).as("resources of kind " + kind).hasSize(1);
    return all(resources, kind).get(0);
  }

  private static Object at(Map<String, Object> node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return new ArrayList<>((List<?>) value);
  }

  private static List<Map<String, Object>> maps(Object value) {
    List<Map<String, Object>> maps = new ArrayList<>();
    for (Object item : list(value)) {
      maps.add(map(item));
    }
    return maps;
  }
}
