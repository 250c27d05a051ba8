package dev.plimsoll.ops.spring;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.OpsSettings;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The core of the starter: validates the configuration before anything is built, then creates the
 * {@link Plimsoll} object (metrics registry, tracing, logs correlation, health registry, shutdown
 * coordinator) from the Spring environment. Its Prometheus registry is the application's {@code
 * MeterRegistry}, so Spring's own binders (HikariCP, executors) report into {@code /metrics}.
 * {@code ops.enabled=false} turns the whole starter off.
 */
@AutoConfiguration(
    beforeName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "ops", name = "enabled", matchIfMissing = true)
public class PlimsollAutoConfiguration {

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

  /** The Plimsoll object; closed (spans flushed, registry closed) when the context closes. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Plimsoll plimsoll(
      OpsSettings settings,
      ApplicationContext context,
      Environment environment,
      ObjectProvider<OpenTelemetry> openTelemetry) {
    Plimsoll.Builder builder = Plimsoll.builder().settings(settings);
    Map<String, Object> applications = context.getBeansWithAnnotation(SpringBootApplication.class);
    if (!applications.isEmpty()) {
      builder.applicationClass(
          ClassUtils.getUserClass(applications.values().iterator().next().getClass()));
    }
    OpenTelemetry existing = openTelemetry.getIfUnique();
    if (!environment.getProperty("ops.tracing.enabled", Boolean.class, true)) {
      builder.openTelemetry(OpenTelemetry.noop());
    } else if (existing != null) {
      builder.openTelemetry(existing);
    }
    return builder.build();
  }

  /** Plimsoll's Prometheus registry as the application's meter registry. */
  @Bean
  @ConditionalOnMissingBean(PrometheusMeterRegistry.class)
  PrometheusMeterRegistry plimsollMeterRegistry(Plimsoll plimsoll) {
    return plimsoll.metrics().registry();
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
  }
}
