package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * One duration syntax in both worlds: a string that core reads as a duration is the same duration
 * to Spring Boot's {@code Duration} conversion (which binds {@code
 * spring.lifecycle.timeout-per-shutdown-phase} from {@code ops.shutdown.closer-timeout}), and to
 * the starter, which feeds core from Spring's environment. A bare number, which Spring Boot would
 * read as milliseconds, is refused with the units to choose from.
 */
class DurationSyntaxTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0", "0s", "250ms", "1500ms", "5s", "5S", "90s", "2m", "1h", "1d", "750us", "PT5S",
        "pt1m30s", "PT0.5S"
      })
  void coreAndSpringBootReadTheSameDuration(String text) {
    Duration core = Setting.parseDuration(text);
    Duration spring =
        ApplicationConversionService.getSharedInstance().convert(text, Duration.class);
    assertThat(core).isEqualTo(spring);
  }

  @ParameterizedTest
  @ValueSource(strings = {"250ms", "1500ms", "5s", "2m", "PT3S"})
  void theStarterReadsAnEnvironmentVariableAsCoreDoes(String text) {
    Duration core =
        OpsSettings.from(ConfigSource.of(Map.of("ops.shutdown.closer-timeout", text)))
            .closerTimeout();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PlimsollAutoConfiguration.class))
        .withPropertyValues("ops.shutdown.hook=false", "ops.service.name=duration-test")
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            "env", Map.of("OPS_SHUTDOWN_CLOSER_TIMEOUT", text))))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(OpsSettings.class).closerTimeout()).isEqualTo(core);
            });
    // Spring Boot binds its shutdown phase timeout from the same text.
    StandardEnvironment environment = new StandardEnvironment();
    Map<String, Object> properties = new HashMap<>();
    properties.put("ops.shutdown.closer-timeout", text);
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    new PlimsollEnvironmentPostProcessor()
        .postProcessEnvironment(environment, new SpringApplication(DurationSyntaxTest.class));
    assertThat(
            Binder.get(environment)
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .get())
        .isEqualTo(core);
  }

  @Test
  void theDefaultShutdownPhaseTimeoutIsTheDeclaredCloserTimeout() {
    StandardEnvironment environment = new StandardEnvironment();
    new PlimsollEnvironmentPostProcessor()
        .postProcessEnvironment(environment, new SpringApplication(DurationSyntaxTest.class));
    assertThat(
            Binder.get(environment)
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .get())
        .isEqualTo(OpsSettings.SHUTDOWN_CLOSER_TIMEOUT.defaultValue());
  }

  @Test
  void aBareNumberIsRefusedWithTheUnitsToChooseFrom() {
    assertThatThrownBy(() -> Setting.parseDuration("20"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no unit: write 20s for seconds or 20ms for milliseconds");
    assertThatThrownBy(() -> Setting.parseDuration("1.5s")).hasMessageContaining("1500ms");
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PlimsollAutoConfiguration.class))
        .withPropertyValues(
            "ops.shutdown.hook=false", "ops.service.name=duration-test", "ops.shutdown.timeout=20")
        .run(
            context -> {
              assertThat(context).hasFailed();
              ConfigException report = (ConfigException) context.getStartupFailure().getCause();
              assertThat(report.getMessage())
                  .contains(
                      "ops.shutdown.timeout (OPS_SHUTDOWN_TIMEOUT): no unit: write 20s for"
                          + " seconds or 20ms for milliseconds: '20'");
            });
  }
}
