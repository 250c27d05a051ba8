package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * The starter's switches are core settings: declared in {@link OpsSettings}, and an invalid value
 * is a line in the one report with every other setting, not an exception of its own or a silent
 * "on".
 */
class StarterSwitchesTest {

  private static final List<Class<?>> AUTO_CONFIGURATIONS =
      List.of(
          PlimsollAutoConfiguration.class,
          PlimsollWebAutoConfiguration.class,
          PlimsollHealthAutoConfiguration.class,
          PlimsollShutdownAutoConfiguration.class,
          PlimsollManagementContextConfiguration.class);

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ApplicationAvailabilityAutoConfiguration.class,
                  PlimsollAutoConfiguration.class,
                  PlimsollWebAutoConfiguration.class,
                  PlimsollHealthAutoConfiguration.class,
                  PlimsollShutdownAutoConfiguration.class))
          .withPropertyValues(
              "ops.shutdown.hook=false",
              "ops.shutdown.drain-delay=0s",
              "ops.service.name=switches-test");

  @Test
  void anInvalidSwitchIsReportedInTheOneReportWithTheOtherSettings() {
    web.withPropertyValues(
            "ops.tracing.enabled=maybe",
            "ops.health.datasource.enabled=perhaps",
            "ops.shutdown.exit-zero=1",
            "ops.metrics.max-routes=lots")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              assertThat(failure).isInstanceOf(StartupConfigException.class);
              ConfigException report = (ConfigException) failure.getCause();
              assertThat(report.problems())
                  .extracting(ConfigProblem::key)
                  .containsExactlyInAnyOrder(
                      "ops.metrics.max-routes",
                      "ops.tracing.enabled",
                      "ops.health.datasource.enabled",
                      "ops.shutdown.exit-zero");
              assertThat(report.getMessage())
                  .contains(
                      "ops.tracing.enabled (OPS_TRACING_ENABLED): not a boolean: 'maybe';"
                          + " expected true or false");
              FailureAnalysis analysis = new PlimsollConfigFailureAnalyzer().analyze(failure);
              assertThat(analysis.getDescription())
                  .isEqualTo("Invalid configuration: 4 problems, listed on standard error.");
            });
  }

  @Test
  void aSwitchIsReadLikeEveryOtherBoolean() {
    web.withPropertyValues("ops.tracing.enabled=FALSE", "ops.metrics.enabled=False")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              OpsSettings settings = context.getBean(OpsSettings.class);
              assertThat(settings.get(OpsSettings.TRACING_ENABLED)).isFalse();
              assertThat(settings.get(OpsSettings.METRICS_ENABLED)).isFalse();
              // Spring's condition agrees: "False" turns the servlet off.
              assertThat(context).doesNotHaveBean("plimsollMetricsServlet");
            });
  }

  @Test
  void everyPropertyConditionOfTheStarterReadsADeclaredSetting() {
    Set<String> declared =
        Stream.concat(OpsSettings.ALL.stream(), OpsSettings.SWITCHES.stream())
            .map(Setting::key)
            .collect(Collectors.toSet());
    Set<String> conditions = new TreeSet<>();
    List<Class<?>> classes = new ArrayList<>(AUTO_CONFIGURATIONS);
    for (int i = 0; i < classes.size(); i++) {
      Class<?> type = classes.get(i);
      classes.addAll(List.of(type.getDeclaredClasses()));
      conditions.addAll(keys(MergedAnnotations.from(type)));
      for (var method : type.getDeclaredMethods()) {
        conditions.addAll(keys(MergedAnnotations.from(method)));
      }
    }
    assertThat(conditions)
        .contains("ops.enabled", "ops.metrics.enabled", "ops.shutdown.exit-zero")
        .allSatisfy(key -> assertThat(declared).as(key).contains(key));
  }

  private static Set<String> keys(MergedAnnotations annotations) {
    Set<String> keys = new TreeSet<>();
    annotations.stream(ConditionalOnProperty.class)
        .map(MergedAnnotation::synthesize)
        .forEach(
            condition -> {
              String prefix = condition.prefix().isEmpty() ? "" : condition.prefix() + ".";
              for (String name : condition.name()) {
                keys.add(prefix + name);
              }
              for (String name : condition.value()) {
                keys.add(prefix + name);
              }
            });
    return keys;
  }
}
