package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.servlet.HealthServlet;
import dev.plimsoll.ops.servlet.MetricsServlet;
import dev.plimsoll.ops.servlet.PlimsollFilter;
import dev.plimsoll.ops.servlet.PlimsollServlets;
import dev.plimsoll.ops.servlet.RouteResolver;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The servlet side: Plimsoll's filter first in the chain (routes from Spring MVC's matched
 * pattern), {@code /metrics} and {@code /health/*}. They sit beside Spring Boot Actuator's {@code
 * /actuator/*} endpoints without replacing them.
 */
@AutoConfiguration(after = PlimsollAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(Filter.class)
@ConditionalOnBean(Plimsoll.class)
public class PlimsollWebAutoConfiguration {

  /** Created by Spring Boot. */
  public PlimsollWebAutoConfiguration() {}

  /** The request filter, ahead of every other filter, for REQUEST, ASYNC and ERROR dispatches. */
  @Bean
  @ConditionalOnMissingBean(name = "plimsollFilter")
  FilterRegistrationBean<PlimsollFilter> plimsollFilter(Plimsoll plimsoll, RouteResolver routes) {
    FilterRegistrationBean<PlimsollFilter> registration =
        new FilterRegistrationBean<>(new PlimsollFilter(plimsoll, routes));
    registration.setName(PlimsollServlets.FILTER_NAME);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setAsyncSupported(true);
    registration.setDispatcherTypes(
        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /**
   * The Prometheus scrape at {@code ops.metrics.path}; {@code ops.metrics.enabled=false} drops it.
   */
  @Bean
  @ConditionalOnProperty(prefix = "ops.metrics", name = "enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(name = "plimsollMetricsServlet")
  ServletRegistrationBean<MetricsServlet> plimsollMetricsServlet(Plimsoll plimsoll) {
    return metricsServlet(plimsoll);
  }

  static ServletRegistrationBean<MetricsServlet> metricsServlet(Plimsoll plimsoll) {
    ServletRegistrationBean<MetricsServlet> registration =
        new ServletRegistrationBean<>(
            new MetricsServlet(plimsoll.metrics(), plimsoll.settings().managementPort()),
            plimsoll.settings().metricsPath());
    registration.setName(PlimsollServlets.METRICS_SERVLET_NAME);
    return registration;
  }

  /** The probes below {@code ops.health.path}; {@code ops.health.enabled=false} drops them. */
  @Bean
  @ConditionalOnProperty(prefix = "ops.health", name = "enabled", matchIfMissing = true)
  @ConditionalOnMissingBean(name = "plimsollHealthServlet")
  ServletRegistrationBean<HealthServlet> plimsollHealthServlet(Plimsoll plimsoll) {
    return healthServlet(plimsoll);
  }

  static ServletRegistrationBean<HealthServlet> healthServlet(Plimsoll plimsoll) {
    String path = plimsoll.settings().healthPath();
    ServletRegistrationBean<HealthServlet> registration =
        new ServletRegistrationBean<>(
            new HealthServlet(
                plimsoll.health(),
                plimsoll.settings().healthShowDetails(),
                plimsoll.settings().managementPort()),
            path,
            path + "/*");
    registration.setName(PlimsollServlets.HEALTH_SERVLET_NAME);
    return registration;
  }

  /** Spring Boot Actuator's own management port. */
  static final String MANAGEMENT_SERVER_PORT = "management.server.port";

  /** Whether {@code ops.management.port} is set and equal to {@code management.server.port}. */
  static boolean managementPortSharedWithActuator(Environment environment) {
    Integer ops = environment.getProperty("ops.management.port", Integer.class);
    return ops != null
        && ops.equals(environment.getProperty(MANAGEMENT_SERVER_PORT, Integer.class));
  }

  /**
   * With {@code ops.management.port} set, a second connector on the embedded Tomcat, where {@code
   * /metrics} and the health details answer; the main port keeps the probes alone. When it equals
   * {@code management.server.port}, Actuator's management server serves them instead ({@link
   * PlimsollManagementContextConfiguration}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
  @ConditionalOnProperty(prefix = "ops.management", name = "port")
  static class TomcatManagementConnector {
    @Bean
    @ConditionalOnMissingBean(name = "plimsollManagementConnector")
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> plimsollManagementConnector(
        Plimsoll plimsoll, Environment environment) {
      return factory -> {
        Integer port = plimsoll.settings().managementPort();
        if (port == null
            || port == factory.getPort()
            || managementPortSharedWithActuator(environment)) {
          // Equal to server.port: rejected by the startup validation before this runs. Equal to
          // management.server.port: served by Actuator's management server instead.
          return;
        }
        Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(port);
        if (factory.getAddress() != null) {
          connector.setProperty("address", factory.getAddress().getHostAddress());
        }
        factory.addAdditionalConnectors(connector);
      };
    }
  }

  /** Routes from Spring MVC's matched handler pattern. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
  static class SpringMvcRoutes {
    @Bean
    @ConditionalOnMissingBean
    RouteResolver plimsollRouteResolver() {
      return new SpringMvcRouteResolver("dispatcherServlet");
    }
  }

  /** The one-line warning about static-resource mappings with nothing to serve. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
  static class StaticResources {
    @Bean
    StaticResourceMappings plimsollStaticResourceMappings(
        Environment environment, ResourceLoader resourceLoader) {
      return new StaticResourceMappings(environment, resourceLoader);
    }
  }

  /** Routes from the servlet mappings, without Spring MVC. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("org.springframework.web.servlet.DispatcherServlet")
  static class ServletMappingRoutes {
    @Bean
    @ConditionalOnMissingBean
    RouteResolver plimsollRouteResolver() {
      return RouteResolver.servletMapping();
    }
  }
}
