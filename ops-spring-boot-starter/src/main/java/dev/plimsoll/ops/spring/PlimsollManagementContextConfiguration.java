package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.servlet.HealthServlet;
import dev.plimsoll.ops.servlet.MetricsServlet;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With {@code ops.management.port} equal to Actuator's {@code management.server.port}, {@code
 * /metrics} and the health endpoints are served by Actuator's management server (its child
 * context), beside {@code /actuator}, rather than by a second connector on that port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(Plimsoll.class)
@Conditional(PlimsollManagementContextConfiguration.SharedManagementPort.class)
public class PlimsollManagementContextConfiguration {

  /** Created by Spring Boot in the management context. */
  public PlimsollManagementContextConfiguration() {}

  /** The Prometheus scrape on the management server. */
  @Bean
  ServletRegistrationBean<MetricsServlet> plimsollManagementMetricsServlet(Plimsoll plimsoll) {
    return PlimsollWebAutoConfiguration.metricsServlet(plimsoll);
  }

  /** The probes and health details on the management server. */
  @Bean
  ServletRegistrationBean<HealthServlet> plimsollManagementHealthServlet(Plimsoll plimsoll) {
    return PlimsollWebAutoConfiguration.healthServlet(plimsoll);
  }

  /** {@code ops.management.port} set and equal to {@code management.server.port}. */
  static final class SharedManagementPort implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return PlimsollWebAutoConfiguration.managementPortSharedWithActuator(
          context.getEnvironment());
    }
  }
}
