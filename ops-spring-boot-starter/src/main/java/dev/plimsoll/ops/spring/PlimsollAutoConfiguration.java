package dev.plimsoll.ops.spring;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.metrics.BuildInfo;
import dev.plimsoll.ops.metrics.PrometheusMetrics;
import dev.plimsoll.ops.tracing.Tracing;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The core of the starter: validates the configuration before anything is built, then creates the
 * {@link Plimsoll} object (metrics registry, tracing, logs correlation, health registry, shutdown
 * coordinator) from the Spring environment. Its Prometheus registry is the application's {@code
 * MeterRegistry}, so Spring's own binders (HikariCP, executors) report into {@code /metrics}, and
 * Actuator's {@code /actuator/prometheus} serves the same series. {@code ops.enabled=false} turns
 * the whole starter off.
 */
@AutoConfiguration(
    afterName = PlimsollAutoConfiguration.SPRING_BOOT_METRICS,
    beforeName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "ops", name = "enabled", matchIfMissing = true)
public class PlimsollAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(PlimsollAutoConfiguration.class);

  /** Spring Boot's metrics auto-configuration: it binds JVM, system and logback meters. */
  static final String SPRING_BOOT_METRICS =
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration";

  /** Spring Boot's observation of MVC requests, which Plimsoll's filter already measures. */
  static final String SPRING_HTTP_SERVER_OBSERVATION = "http.server.requests";

  /** Created by Spring Boot. */
  public PlimsollAutoConfiguration() {}

  /** Reports every invalid setting at once, before any bean exists. */
  @Bean
  static StartupConfigValidator plimsollStartupConfigValidator() {
    return new StartupConfigValidator();
  }

  /** Plimsoll's settings, read and validated from the Spring environment. */
  @Bean
  @ConditionalOnMissingBean
  OpsSettings opsSettings(Environment environment) {
    return OpsSettings.from(new SpringConfigSource(environment));
  }

  /**
   * The application's meter registry: Plimsoll's Prometheus registry, created empty with Plimsoll's
   * common labels so that Spring Boot's customizers and {@code MeterFilter}s ({@code
   * management.metrics.enable.*}, {@code .tags.*}, {@code .distribution.*}) are applied to it, as
   * to any registry bean, before a single meter is registered.
   */
  @Bean
  @ConditionalOnMissingBean(PrometheusMeterRegistry.class)
  PrometheusMeterRegistry plimsollMeterRegistry(OpsSettings settings, ApplicationContext context) {
    return PrometheusMetrics.newRegistry(
        settings.serviceName(),
        settings.environment(),
        BuildInfo.resolve(
            settings.serviceVersion(), settings.vcsRevision(), applicationClass(context)),
        Tracing.currentSpanExemplars());
  }

  /**
   * The registry's series as the Prometheus client sees them: Actuator's {@code
   * /actuator/prometheus} reads this bean, so it serves the same series as {@code /metrics}.
   */
  @Bean
  @ConditionalOnMissingBean(PrometheusRegistry.class)
  PrometheusRegistry plimsollPrometheusRegistry(PrometheusMeterRegistry registry) {
    return registry.getPrometheusRegistry();
  }

  /**
   * The Plimsoll object, reporting into the application's meter registry; closed (spans flushed,
   * registry closed) when the context closes. Where Spring Boot's metrics auto-configuration binds
   * the JVM, process and logging meters, Plimsoll does not bind them a second time.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Plimsoll plimsoll(
      OpsSettings settings,
      ApplicationContext context,
      Environment environment,
      PrometheusMeterRegistry registry,
      ObjectProvider<OpenTelemetry> openTelemetry) {
    Plimsoll.Builder builder =
        Plimsoll.builder()
            .settings(settings)
            .meterRegistry(registry, !springBootBindsRuntimeMeters(context));
    Class<?> application = applicationClass(context);
    if (application != null) {
      builder.applicationClass(application);
    }
    OpenTelemetry existing = openTelemetry.getIfUnique();
    if (Boolean.FALSE.equals(settings.get(OpsSettings.TRACING_ENABLED))) {
      builder.openTelemetry(OpenTelemetry.noop());
    } else if (existing != null) {
      builder.openTelemetry(existing);
    }
    return builder.build();
  }

  private static @Nullable Class<?> applicationClass(ApplicationContext context) {
    Map<String, Object> applications = context.getBeansWithAnnotation(SpringBootApplication.class);
    return applications.isEmpty()
        ? null
        : ClassUtils.getUserClass(applications.values().iterator().next().getClass());
  }

  /**
   * Whether Spring Boot's metrics auto-configuration is active, whose JVM, system and logback
   * binders are bound to every registry bean.
   */
  static boolean springBootBindsRuntimeMeters(ListableBeanFactory beans) {
    ClassLoader loader = PlimsollAutoConfiguration.class.getClassLoader();
    if (!ClassUtils.isPresent(SPRING_BOOT_METRICS, loader)) {
      return false;
    }
    return beans.getBeanNamesForType(ClassUtils.resolveClassName(SPRING_BOOT_METRICS, loader))
            .length
        > 0;
  }

  /** Spring's {@code http.server.requests} would count every request a second time. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationPredicate.class)
  @ConditionalOnProperty(
      prefix = "ops.metrics",
      name = "replace-spring-http-observation",
      matchIfMissing = true)
  static class SpringHttpObservation {
    @Bean
    ObservationPredicate plimsollSkipsSpringHttpServerObservation() {
      return (name, context) -> !SPRING_HTTP_SERVER_OBSERVATION.equals(name);
    }
  }

  /** HikariCP pool metrics ({@code hikaricp_connections_*}) in Plimsoll's registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HikariDataSource.class, MicrometerMetricsTrackerFactory.class})
  static class HikariMetrics {
    @Bean
    static BeanPostProcessor plimsollHikariMetrics(ObjectProvider<Plimsoll> plimsoll) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
          if (bean instanceof HikariDataSource hikari
              && hikari.getMetricRegistry() == null
              && hikari.getMetricsTrackerFactory() == null
              && !hikari.isRunning()) {
            Plimsoll owner = plimsoll.getIfAvailable();
            if (owner != null) {
              hikari.setMetricsTrackerFactory(
                  new MicrometerMetricsTrackerFactory(owner.metrics().registry()));
            }
          }
          return bean;
        }
      };
    }

    /**
     * Opens each pool in the background once the application is ready, so its {@code
     * hikaricp_connections_*} series exist from the start rather than from the first query; a
     * database that is down leaves the pool to open on first use, as before.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> plimsollHikariWarmUp(
        ObjectProvider<HikariDataSource> pools) {
      return event -> {
        List<HikariDataSource> idle = pools.stream().filter(p -> !p.isRunning()).toList();
        if (idle.isEmpty()) {
          return;
        }
        Thread opener =
            new Thread(
                () -> {
                  for (HikariDataSource pool : idle) {
                    try (Connection ignored = pool.getConnection()) {
                      // opening one connection starts the pool and registers its meters
                    } catch (SQLException | RuntimeException e) {
                      LOG.debug("Pool {} not opened ahead of use", pool.getPoolName(), e);
                    }
                  }
                },
                "plimsoll-pool-open");
        opener.setDaemon(true);
        opener.start();
      };
    }
  }
}
