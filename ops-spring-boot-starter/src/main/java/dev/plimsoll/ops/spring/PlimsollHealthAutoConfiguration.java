package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.health.DataSourceHealthCheck;
import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health checks from the application context: Spring Boot's readiness (the {@code application}
 * check, so probes say {@code starting} until the application is ready) and every {@code
 * DataSource} as a critical readiness check ({@code database}, or {@code database-<bean>} when
 * there are several). {@code ops.health.enabled=false} turns them off.
 */
@AutoConfiguration(
    after = PlimsollAutoConfiguration.class,
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBean(Plimsoll.class)
@ConditionalOnProperty(prefix = "ops.health", name = "enabled", matchIfMissing = true)
public class PlimsollHealthAutoConfiguration {

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
