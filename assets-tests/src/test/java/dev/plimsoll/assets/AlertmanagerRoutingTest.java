package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.assets.RulesFiles.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example Alertmanager configuration ({@code alerts/alertmanager/alertmanager.yaml}) under
 * Alertmanager's own tool: it loads ({@code amtool check-config}), and every alert of every rule
 * file, with the labels its rule gives it, is routed to the receiver of its severity ({@code amtool
 * config routes test}). The inhibitions need a running Alertmanager: AlertmanagerInhibitionIT.
 */
class AlertmanagerRoutingTest {

  static final Path CONFIG = Assets.alerts().resolve("alertmanager/alertmanager.yaml");

  /** Which receiver each severity reaches (alerts/README.md says what each severity means). */
  private static final Map<String, String> RECEIVERS =
      Map.of("page", "pager", "ticket", "tickets", "warning", "chat");

  @Test
  void amtoolAcceptsTheConfiguration() throws Exception {
    Tool.Result result =
        Tool.amtool().run(Assets.alerts(), List.of("check-config", CONFIG.toString()));
    assertThat(result.exit()).as("amtool check-config said:%n%s", result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS", "2 inhibit rules", "3 receivers");
  }

  @Test
  void notificationsAreGroupedByServiceAndVersion() {
    Map<String, Object> route = RulesFiles.map(RulesFiles.yaml(CONFIG).get("route"));
    assertThat(String.valueOf(route.get("group_by")).replaceAll("[\\[\\] ]", "").split(","))
        .contains("alertname", "service_name", "service_version", "cluster", "namespace");
  }

  @Test
  void everySeverityOfTheRulesHasAReceiverAndEveryReceiverIsUsed() {
    Set<String> severities = new TreeSet<>();
    RulesFiles.alerts(RulesFiles.all()).forEach(a -> severities.add(severity(a)));
    assertThat(RECEIVERS.keySet()).containsAll(severities);
    Set<String> receivers = new TreeSet<>();
    for (Map<String, Object> receiver : RulesFiles.maps(RulesFiles.yaml(CONFIG).get("receivers"))) {
      receivers.add(String.valueOf(receiver.get("name")));
    }
    assertThat(receivers).containsExactlyInAnyOrderElementsOf(Set.copyOf(RECEIVERS.values()));
  }

  static Stream<Rule> alerts() {
    return RulesFiles.alerts(RulesFiles.all()).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void everyAlertReachesTheReceiverOfItsSeverity(Rule alert) throws Exception {
    String expected = RECEIVERS.get(severity(alert));
    List<String> args =
        new ArrayList<>(
            List.of(
                "config",
                "routes",
                "test",
                "--config.file=" + CONFIG,
                "--verify.receivers=" + expected,
                "alertname=" + alert.name(),
                "service_name=checkout",
                "service_version=1.2.3"));
    alert.labels().forEach((name, value) -> args.add(name + "=" + value));
    Tool.Result result = Tool.amtool().run(Assets.alerts(), args);
    assertThat(result.exit())
        .as("%s should reach %s; amtool said:%n%s", alert, expected, result.output())
        .isZero();
  }

  private static String severity(Rule alert) {
    return String.valueOf(alert.labels().get("severity"));
  }
}
