package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.ContractDoc;
import dev.plimsoll.ops.testsupport.KubernetesManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commands of {@code alerts/runbooks/} work against the shipped configuration: every port a
 * {@code kubectl port-forward} names exists on the example service's pods (as rendered by {@code
 * kubectl kustomize} from {@code example-service/deploy/overlays/prod}), every {@code
 * localhost:<port><path>} is a forwarded port that serves that path (with {@code
 * ops.management.port} set, {@code /metrics} and {@code /health} answer only on the management
 * port), every path is an endpoint of docs/contract.md, and every kind a command gets is one the
 * manifests ship.
 */
class RunbooksTest {

  private static final Pattern FENCE = Pattern.compile("(?s)```(\\w*)\\n(.*?)```");
  private static final Pattern FORWARD =
      Pattern.compile("port-forward\\s+(\\S+)((?:\\s+\\d+:[\\w-]+)+)");
  private static final Pattern PORT_PAIR = Pattern.compile("(\\d+):([\\w-]+)");
  private static final Pattern LOCALHOST = Pattern.compile("localhost:(\\d+)(/[\\w/.-]*)");
  private static final Pattern GET_KIND =
      Pattern.compile("kubectl .*\\bget (podmonitor|servicemonitor)\\b");

  /** Container port name to number, of the example service's pods. */
  private static final Map<String, Integer> containerPorts = new HashMap<>();

  private static final Set<String> kinds = new HashSet<>();
  private static int managementPort;

  @BeforeAll
  static void render() {
    for (Map<String, Object> resource :
        KubernetesManifests.render(Assets.root().resolve("example-service/deploy/overlays/prod"))) {
      kinds.add(String.valueOf(resource.get("kind")).toLowerCase(java.util.Locale.ROOT));
      if ("Deployment".equals(resource.get("kind"))) {
        Map<String, Object> pod =
            RulesFiles.map(
                RulesFiles.map(RulesFiles.map(resource.get("spec")).get("template")).get("spec"));
        for (Map<String, Object> container : RulesFiles.maps(pod.get("containers"))) {
          for (Map<String, Object> port : RulesFiles.maps(container.get("ports"))) {
            containerPorts.put(
                String.valueOf(port.get("name")), ((Number) port.get("containerPort")).intValue());
          }
        }
      }
      if ("ConfigMap".equals(resource.get("kind"))) {
        Object port = RulesFiles.map(resource.get("data")).get("OPS_MANAGEMENT_PORT");
        if (port != null) {
          managementPort = Integer.parseInt(String.valueOf(port));
        }
      }
    }
    assertThat(containerPorts).containsKeys("http", "management");
    assertThat(managementPort).isEqualTo(containerPorts.get("management"));
  }

  static List<Path> runbooks() throws IOException {
    try (Stream<Path> files = Files.list(Assets.alerts().resolve("runbooks"))) {
      return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
  }

  @Test
  void everyPortPathAndKindInARunbookCommandExists() throws IOException {
    Set<String> endpoints = new HashSet<>();
    ContractDoc.load()
        .table("## Endpoints", "Path")
        .forEach(row -> endpoints.add(ContractDoc.code(row.get(0))));
    List<String> problems = new ArrayList<>();
    int commands = 0;
    for (Path runbook : runbooks()) {
      String text = Files.readString(runbook);
      Set<Integer> forwarded = new HashSet<>();
      Matcher block = FENCE.matcher(text);
      while (block.find()) {
        if (!block.group(1).matches("|sh|bash")) {
          continue; // promql, yaml, json
        }
        for (String line : block.group(2).split("\n")) {
          String where = runbook.getFileName() + ": " + line.strip();
          Matcher forward = FORWARD.matcher(line);
          if (forward.find()) {
            commands++;
            Matcher pair = PORT_PAIR.matcher(forward.group(2));
            while (pair.find()) {
              int local = Integer.parseInt(pair.group(1));
              String remote = pair.group(2);
              Integer number =
                  remote.matches("\\d+") ? Integer.valueOf(remote) : containerPorts.get(remote);
              if (number == null || !containerPorts.containsValue(number)) {
                problems.add(where + ": no container port " + remote);
              } else if (number != local) {
                problems.add(where + ": " + local + " forwards to " + number);
              }
              forwarded.add(local);
            }
          }
          Matcher local = LOCALHOST.matcher(line);
          while (local.find()) {
            commands++;
            int port = Integer.parseInt(local.group(1));
            String path = local.group(2);
            if (!forwarded.contains(port)) {
              problems.add(where + ": port " + port + " is not forwarded earlier in the runbook");
            }
            if (!endpoints.contains(path)) {
              problems.add(where + ": " + path + " is not an endpoint of docs/contract.md");
            } else if (port != managementPort && !path.matches("/health/(live|ready|started)")) {
              problems.add(where + ": " + path + " answers only on the management port");
            }
          }
          Matcher get = GET_KIND.matcher(line);
          if (get.find() && !kinds.contains(get.group(1))) {
            problems.add(where + ": the manifests ship no " + get.group(1));
          }
        }
      }
    }
    assertThat(commands).as("runbook commands checked").isGreaterThan(5);
    assertThat(problems).as("runbook commands that fail against deploy/").isEmpty();
  }
}
