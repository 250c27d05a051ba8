package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.health.DataSourceHealthCheck;
import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Health checks from the application context: Spring Boot's readiness (the {@code application}
 * check, so probes say {@code starting} until the application is ready) and every {@code
 * DataSource} as a critical readiness check ({@code database}, or {@code database-<bean>} when
 * there are several), and the application's Actuator health indicators in the groups Actuator put
 * them in. {@code ops.health.enabled=false} turns them off.
 */
@AutoConfiguration(
    after = PlimsollAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration"
    })
@ConditionalOnBean(Plimsoll.class)
@ConditionalOnProperty(prefix = "ops.health", name = "enabled", matchIfMissing = true)
public class PlimsollHealthAutoConfiguration {

  static final String ACTUATOR_HEALTH_REGISTRY =
      "org.springframework.boot.health.registry.HealthContributorRegistry";

  private static final Logger LOG = LoggerFactory.getLogger(PlimsollHealthAutoConfiguration.class);

  /** Created by Spring Boot. */
  public PlimsollHealthAutoConfiguration() {}

  /**
   * Readiness follows Spring Boot's own: down ({@code starting}) until the application is ready.
   */
  @Bean
  SmartInitializingSingleton plimsollApplicationReadinessCheck(
      Plimsoll plimsoll, ObjectProvider<ApplicationAvailability> availability) {
    return () -> {
      ApplicationAvailability available = availability.getIfAvailable();
      if (available != null) {
        plimsoll
            .health()
            .register(
                HealthCheckRegistration.builder(
                        ApplicationReadinessCheck.NAME, new ApplicationReadinessCheck(available))
                    .groups(HealthGroup.READY, HealthGroup.STARTED)
                    .cacheTtl(Duration.ZERO)
                    .build());
      }
    };
  }

  /**
   * The application's Actuator health indicators as Plimsoll checks (see {@link
   * ActuatorHealthChecks}); {@code ops.health.actuator.enabled=false} leaves them to Actuator.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = ACTUATOR_HEALTH_REGISTRY)
  @ConditionalOnProperty(prefix = "ops.health.actuator", name = "enabled", matchIfMissing = true)
  static class ActuatorIndicators {
    @Bean
    SmartInitializingSingleton plimsollActuatorHealthChecks(
        Plimsoll plimsoll,
        ObjectProvider<HealthContributorRegistry> contributors,
        ObjectProvider<HealthEndpointGroups> groups,
        Environment environment) {
      return () -> {
        HealthContributorRegistry registry = contributors.getIfUnique();
        if (registry == null) {
          return;
        }
        Set<String> skip = new HashSet<>(Set.of("ping", "livenessState", "readinessState"));
        if (Boolean.TRUE.equals(plimsoll.settings().get(OpsSettings.HEALTH_DATASOURCE_ENABLED))) {
          skip.add("db");
        }
        if (plimsoll.settings().healthDiskMinFreeMb() > 0) {
          skip.add("diskSpace");
        }
        List<String> added =
            ActuatorHealthChecks.register(plimsoll.health(), registry, groups.getIfUnique(), skip);
        if (!added.isEmpty()) {
          LOG.info("Actuator's health indicators added as Plimsoll checks: {}", added);
        }
      };
    }
  }

  /** Every data source of the context as a critical readiness check. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(DataSource.class)
  @ConditionalOnProperty(prefix = "ops.health.datasource", name = "enabled", matchIfMissing = true)
  static class DataSourceChecks {
    @Bean
    SmartInitializingSingleton plimsollDataSourceChecks(
        Plimsoll plimsoll, ApplicationContext context) {
      return () -> {
        Map<String, DataSource> sources = context.getBeansOfType(DataSource.class, false, false);
        Duration timeout = plimsoll.settings().healthTimeout();
        sources.forEach(
            (bean, dataSource) ->
                plimsoll
                    .health()
                    .register(
                        HealthCheckRegistration.builder(
                                sources.size() == 1 ? "database" : "database-" + name(bean),
                                DataSourceHealthCheck.of(dataSource, timeout))
                            .groups(HealthGroup.READY)
                            .build()));
      };
    }

    private static String name(String bean) {
      String name = bean.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
      return name.length() > 50 ? name.substring(0, 50) : name;
    }
  }
}
