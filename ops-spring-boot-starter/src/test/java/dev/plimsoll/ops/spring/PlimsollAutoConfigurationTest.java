package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.servlet.HealthServlet;
import dev.plimsoll.ops.servlet.MetricsServlet;
import dev.plimsoll.ops.servlet.PlimsollFilter;
import dev.plimsoll.ops.servlet.RouteResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** One test per condition and back-off of the starter's auto-configurations. */
class PlimsollAutoConfigurationTest {

  private static final AutoConfigurations ALL =
      AutoConfigurations.of(
          ApplicationAvailabilityAutoConfiguration.class,
          PlimsollAutoConfiguration.class,
          PlimsollWebAutoConfiguration.class,
          PlimsollHealthAutoConfiguration.class,
          PlimsollShutdownAutoConfiguration.class);

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(ALL)
          .withPropertyValues(
              "ops.shutdown.hook=false",
              "ops.shutdown.drain-delay=0s",
              "ops.service.name=starter-test");

  @Test
  void aServletApplicationGetsTheFilterFirstAndBothEndpoints() {
    web.run(
        context -> {
          assertThat(context).hasSingleBean(Plimsoll.class).hasSingleBean(OpsSettings.class);
          assertThat(context.getBean(OpsSettings.class).serviceName()).isEqualTo("starter-test");
          assertThat(context.getBean(MeterRegistry.class))
              .isSameAs(context.getBean(Plimsoll.class).metrics().registry());

          FilterRegistrationBean<?> filter =
              context.getBean("plimsollFilter", FilterRegistrationBean.class);
          assertThat(filter.getFilter()).isInstanceOf(PlimsollFilter.class);
          assertThat(filter.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
          assertThat(filter.getUrlPatterns()).containsExactly("/*");
          assertThat(filter.determineDispatcherTypes())
              .containsExactlyInAnyOrder(
                  DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);

          ServletRegistrationBean<?> metrics =
              context.getBean("plimsollMetricsServlet", ServletRegistrationBean.class);
          assertThat(metrics.getServlet()).isInstanceOf(MetricsServlet.class);
          assertThat(metrics.getUrlMappings()).containsExactly("/metrics");
          ServletRegistrationBean<?> health =
              context.getBean("plimsollHealthServlet", ServletRegistrationBean.class);
          assertThat(health.getServlet()).isInstanceOf(HealthServlet.class);
          assertThat(health.getUrlMappings()).containsExactly("/health", "/health/*");
          assertThat(context.getBean(RouteResolver.class))
              .isInstanceOf(SpringMvcRouteResolver.class);
        });
  }

  @Test
  void aManagementPortAddsATomcatConnectorOnItAndNoneWithoutIt() {
    web.run(context -> assertThat(context).doesNotHaveBean("plimsollManagementConnector"));
    web.withPropertyValues("ops.management.port=9464")
        .run(
            context -> {
              assertThat(connectorsAdded(context, 8080))
                  .singleElement()
                  .satisfies(connector -> assertThat(connector.getPort()).isEqualTo(9464));
              // Equal to server.port: a configuration error before this runs (see
              // StartupConfigValidator).
              assertThat(connectorsAdded(context, 9464)).isEmpty();
            });
    // Equal to management.server.port: Actuator's management server serves it instead.
    web.withPropertyValues("ops.management.port=9464", "management.server.port=9464")
        .run(context -> assertThat(connectorsAdded(context, 8080)).isEmpty());
  }

  private static List<Connector> connectorsAdded(ApplicationContext context, int serverPort) {
    @SuppressWarnings("unchecked")
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> customizer =
        context.getBean("plimsollManagementConnector", WebServerFactoryCustomizer.class);
    TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(serverPort);
    customizer.customize(factory);
    return factory.getAdditionalConnectors();
  }

  @Test
  void opsEnabledFalseTurnsEverythingOff() {
    web.withPropertyValues("ops.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(Plimsoll.class)
                    .doesNotHaveBean("plimsollFilter")
                    .doesNotHaveBean(PlimsollDrainLifecycle.class));
  }

  @Test
  void eachFeatureHasItsOwnSwitch() {
    web.withPropertyValues(
            "ops.metrics.enabled=false", "ops.health.enabled=false", "ops.shutdown.enabled=false")
        .run(
            context -> {
              assertThat(context).hasBean("plimsollFilter");
              assertThat(context)
                  .doesNotHaveBean("plimsollMetricsServlet")
                  .doesNotHaveBean("plimsollHealthServlet")
                  .doesNotHaveBean("plimsollApplicationReadinessCheck")
                  .doesNotHaveBean(PlimsollDrainLifecycle.class);
            });
  }

  @Test
  void tracingCanBeSwitchedOffWithoutLosingTheRest() {
    web.withPropertyValues("ops.tracing.enabled=false")
        .run(
            context ->
                assertThat(
                        context
                            .getBean(Plimsoll.class)
                            .tracing()
                            .tracer()
                            .spanBuilder("x")
                            .startSpan()
                            .getSpanContext()
                            .isValid())
                    .isFalse());
  }

  @Test
  void beansOfTheApplicationWin() {
    web.withUserConfiguration(OwnBeans.class)
        .run(
            context -> {
              assertThat(context.getBean(Plimsoll.class)).isSameAs(OwnBeans.PLIMSOLL);
              assertThat(context.getBean(RouteResolver.class)).isSameAs(OwnBeans.ROUTES);
              assertThat(context.getBean("plimsollFilter")).isEqualTo("mine");
            });
    OwnBeans.PLIMSOLL.close();
  }

  @Test
  void aNonWebApplicationGetsPlimsollWithoutServletParts() {
    new ApplicationContextRunner()
        .withConfiguration(ALL)
        .withPropertyValues("ops.shutdown.hook=false", "ops.shutdown.drain-delay=0s")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Plimsoll.class)
                    .doesNotHaveBean("plimsollFilter")
                    .doesNotHaveBean("plimsollMetricsServlet"));
  }

  @Test
  void withoutSpringMvcRoutesComeFromTheServletMappings() {
    web.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
        .run(
            context ->
                assertThat(context.getBean(RouteResolver.class))
                    .isNotInstanceOf(SpringMvcRouteResolver.class));
  }

  @Test
  void everyInvalidSettingOfPlimsollAndOfTheApplicationIsReportedAtOnceWithSecretsHidden() {
    web.withUserConfiguration(AppSettingsConfiguration.class)
        .withPropertyValues(
            "ops.metrics.max-routes=lots",
            "ops.shutdown.drain-delay=50s",
            "app.port=eighty",
            "app.api-password=hunter2-hunter2",
            "app.retries=-x")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              ConfigException config = findCause(failure, ConfigException.class);
              assertThat(config.problems())
                  .extracting(p -> p.key())
                  .contains(
                      "ops.metrics.max-routes", "ops.shutdown.budget", "app.port", "app.retries");
              assertThat(config.getMessage())
                  .contains(
                      "ops.metrics.max-routes", "OPS_METRICS_MAX_ROUTES", "app.port", "eighty")
                  .doesNotContain("hunter2");
              // Spring Boot's report points to the one list, printed on standard error.
              assertThat(failure).isInstanceOf(StartupConfigException.class);
              assertThat(((StartupConfigException) failure).getExitCode()).isEqualTo(78);
              FailureAnalysis analysis = new PlimsollConfigFailureAnalyzer().analyze(failure);
              assertThat(analysis.getDescription())
                  .isEqualTo("Invalid configuration: 4 problems, listed on standard error.");
              assertThat(analysis.getAction()).contains("OPS_");
              PrintStream err = System.err;
              ByteArrayOutputStream printed = new ByteArrayOutputStream();
              System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
              try {
                new PlimsollConfigFailureReporter().report(analysis);
              } finally {
                System.setErr(err);
              }
              assertThat(printed.toString(StandardCharsets.UTF_8))
                  .startsWith(config.getMessage() + System.lineSeparator())
                  .contains("exit status 78")
                  .doesNotContain("hunter2");
            });
  }

  @Test
  void anOtelValuePlimsollsOwnSdkCannotHonourIsInTheSameReport() {
    web.withPropertyValues("otel.traces.exporter=console", "ops.metrics.max-routes=lots")
        .run(
            context -> {
              ConfigException config =
                  findCause(context.getStartupFailure(), ConfigException.class);
              assertThat(config.problems())
                  .extracting(p -> p.environmentName())
                  .containsExactly("OPS_METRICS_MAX_ROUTES", "OTEL_TRACES_EXPORTER");
            });
  }

  @Test
  void otelValuesAreNotPlimsollsBusinessWhenTheApplicationHasItsOwnOpenTelemetry() {
    web.withPropertyValues("otel.traces.exporter=console")
        .withBean(OpenTelemetry.class, OpenTelemetry::noop)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Plimsoll.class).tracing().openTelemetry())
                  .isSameAs(context.getBean(OpenTelemetry.class));
            });
  }

  @Test
  void aSecretThatCannotBeBoundIsReportedWithoutItsValue() {
    web.withUserConfiguration(AppSettingsConfiguration.class)
        .withPropertyValues("app.api-password-length=hunter2")
        .run(
            context -> {
              ConfigException config =
                  findCause(context.getStartupFailure(), ConfigException.class);
              assertThat(config.getMessage())
                  .contains("app.api-password-length")
                  .doesNotContain("hunter2");
            });
  }

  @Test
  void everyDataSourceBecomesACriticalReadinessCheck() {
    web.withUserConfiguration(OneDataSource.class)
        .run(
            context -> {
              Plimsoll plimsoll = context.getBean(Plimsoll.class);
              assertThat(plimsoll.health().names()).contains("database", "application", "disk");
            });
    web.withUserConfiguration(OneDataSource.class, SecondDataSource.class)
        .run(
            context ->
                assertThat(context.getBean(Plimsoll.class).health().names())
                    .contains("database-datasource", "database-reporting")
                    .doesNotContain("database"));
  }

  @Test
  void theDrainStopsBeforeTheWebServersGracefulShutdown() {
    assertThat(PlimsollDrainLifecycle.PHASE)
        .isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
    web.run(context -> assertThat(context).hasSingleBean(PlimsollDrainLifecycle.class));
  }

  @Test
  void springsOwnHttpServerObservationIsTurnedOffSoRequestsAreCountedOnce() {
    web.run(
        context -> {
          ObservationPredicate predicate = context.getBean(ObservationPredicate.class);
          assertThat(predicate.test("http.server.requests", null)).isFalse();
          assertThat(predicate.test("tasks.create", null)).isTrue();
        });
    web.withPropertyValues("ops.metrics.replace-spring-http-observation=false")
        .run(context -> assertThat(context).doesNotHaveBean(ObservationPredicate.class));
  }

  @Test
  void hikariPoolsReportIntoPlimsollsRegistry() {
    web.withUserConfiguration(OneDataSource.class)
        .run(
            context -> {
              com.zaxxer.hikari.HikariDataSource pool =
                  context.getBean(com.zaxxer.hikari.HikariDataSource.class);
              assertThat(pool.getMetricsTrackerFactory()).isNotNull();
              pool.getConnection().close();
              PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
              assertThat(registry.scrape()).contains("hikaricp_connections_active");
            });
  }

  @Test
  void theSettingsTheStarterReadsAreTheCoreSettings() {
    web.withPropertyValues("ops.health.timeout=750ms")
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            "systemEnvironment", Map.of("OPS_METRICS_MAX_ROUTES", "7"))))
        .run(
            context -> {
              OpsSettings settings = context.getBean(OpsSettings.class);
              assertThat(settings.healthTimeout().toMillis()).isEqualTo(750);
              assertThat(settings.maxRoutes()).isEqualTo(7);
              assertThat(settings)
                  .usingRecursiveComparison()
                  .isEqualTo(
                      OpsSettings.from(
                          ConfigSource.of(
                              Map.of(
                                  "ops.shutdown.hook", "false",
                                  "ops.shutdown.drain-delay", "0s",
                                  "ops.service.name", "starter-test",
                                  "ops.health.timeout", "750ms",
                                  "ops.metrics.max-routes", "7"))));
            });
  }

  private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
    for (Throwable current = failure; current != null; current = current.getCause()) {
      if (type.isInstance(current)) {
        return type.cast(current);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final Plimsoll PLIMSOLL =
        Plimsoll.builder()
            .settings(OpsSettings.from(ConfigSource.of(Map.of("ops.shutdown.hook", "false"))))
            .build();
    static final RouteResolver ROUTES = request -> "/mine";

    @Bean
    Plimsoll plimsoll() {
      return PLIMSOLL;
    }

    @Bean
    RouteResolver routes() {
      return ROUTES;
    }

    @Bean
    String plimsollFilter() {
      return "mine";
    }
  }

  /** An application's own settings. */
  @ConfigurationProperties(prefix = "app")
  record AppSettings(int port, int retries, String apiPassword, int apiPasswordLength) {}

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(AppSettings.class)
  static class AppSettingsConfiguration {}

  @Configuration(proxyBeanMethods = false)
  static class OneDataSource {
    @Bean
    DataSource dataSource() {
      return DataSourceBuilder.create()
          .url("jdbc:h2:mem:one;DB_CLOSE_DELAY=-1")
          .username("sa")
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SecondDataSource {
    @Bean
    DataSource reporting() {
      return DataSourceBuilder.create()
          .url("jdbc:h2:mem:two;DB_CLOSE_DELAY=-1")
          .username("sa")
          .build();
    }
  }
}
