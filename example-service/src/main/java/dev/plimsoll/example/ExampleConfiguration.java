package dev.plimsoll.example;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HttpHealthCheck;
import java.net.URI;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The service's wiring: its settings, the downstream check and the demo knobs. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TasksProperties.class)
class ExampleConfiguration {

  /** The downstream service as a non-critical readiness check: when down, readiness is DEGRADED. */
  @Bean
  SmartInitializingSingleton downstreamHealthCheck(Plimsoll plimsoll, TasksProperties properties) {
    return () -> {
      URI url = properties.downstream().url();
      if (url != null) {
        plimsoll
            .health()
            .register(
                HealthCheckRegistration.builder(
                        "downstream",
                        HttpHealthCheck.of(healthOf(url), properties.downstream().timeout()))
                    .critical(false)
                    .build());
      }
    };
  }

  /** {@code {url}/health}, keeping any base path of the URL. */
  static URI healthOf(URI url) {
    String base = url.toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/health");
  }

  /** Latency and error injection, only when {@code tasks.demo.enabled=true}. */
  @Bean
  WebMvcConfigurer demoFaults(TasksProperties properties) {
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        if (properties.demo().enabled()) {
          registry.addInterceptor(new DemoFaults(properties.demo())).addPathPatterns("/tasks/**");
        }
      }
    };
  }
}
