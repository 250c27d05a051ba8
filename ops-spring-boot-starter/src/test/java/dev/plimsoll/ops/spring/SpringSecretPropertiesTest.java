package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigProblem;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Production secret rules on Spring's secret-like properties, before any bean is created. */
class SpringSecretPropertiesTest {

  private static final String STRONG = "Xk4-pw9Q2r7v!Lm8Zt3";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(PlimsollAutoConfiguration.class))
          .withPropertyValues(
              "ops.shutdown.hook=false", "ops.shutdown.drain-delay=0s", "ops.service.name=secrets");

  @Test
  void aWeakDatasourcePasswordStopsAProductionStartWithoutShowingIt() {
    runner
        .withPropertyValues("ops.environment=production", "spring.datasource.password=changeme")
        .run(
            context -> {
              assertThat(context).hasFailed();
              ConfigException config = cause(context.getStartupFailure());
              assertThat(config.problems())
                  .extracting(ConfigProblem::key)
                  .contains("spring.datasource.password");
              assertThat(config.getMessage())
                  .contains("spring.datasource.password", "SPRING_DATASOURCE_PASSWORD")
                  .doesNotContain("changeme");
            });
  }

  @Test
  void strongSecretsAndDevelopmentPass() {
    runner
        .withPropertyValues(
            "ops.environment=production",
            "spring.datasource.password=" + STRONG,
            "app.client-secret=" + STRONG)
        .run(context -> assertThat(context).hasNotFailed());
    runner
        .withPropertyValues("ops.environment=development", "spring.datasource.password=changeme")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void everyPasswordSecretAndTokenKeyIsCheckedButNotWhatOnlyNamesOne() {
    StandardEnvironment environment =
        production(
            Map.of(
                "spring.datasource.password", "",
                "spring.security.oauth2.client.registration.idp.client-secret", "short",
                "app.api-token", "${API_TOKEN}",
                "app.token-uri", "x",
                "app.password-file", "/run/secrets/pw",
                "app.api-password-length", "5",
                "ops.otlp.token", "x"));
    environment
        .getPropertySources()
        .addLast(new MapPropertySource("fallback", Map.of("API_TOKEN", "your-token-here")));

    assertThat(SpringSecretProperties.problems(environment))
        .extracting(ConfigProblem::key)
        .containsExactlyInAnyOrder(
            "spring.datasource.password",
            "spring.security.oauth2.client.registration.idp.client-secret",
            "app.api-token");
  }

  @Test
  void thePlatformsOwnVariablesAreLeftAloneButSpringsAreRead() {
    StandardEnvironment environment = production(Map.of());
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("GITHUB_TOKEN", "x", "SPRING_DATASOURCE_PASSWORD", "secret")));

    assertThat(SpringSecretProperties.problems(environment))
        .extracting(ConfigProblem::key)
        .containsExactly("spring.datasource.password");
  }

  private static StandardEnvironment production(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("application", properties));
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("environment", Map.of("ops.environment", "production")));
    return environment;
  }

  private static ConfigException cause(Throwable failure) {
    for (Throwable current = failure; current != null; current = current.getCause()) {
      if (current instanceof ConfigException config) {
        return config;
      }
    }
    throw new AssertionError("no ConfigException in " + failure);
  }
}
