package dev.plimsoll.ops.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * Plimsoll's defaults for a Spring Boot application, at the lowest precedence so any setting of the
 * application wins: graceful web server shutdown, no second JVM shutdown hook (Spring's lifecycle
 * drains), no Actuator probe groups beside Plimsoll's probes, the service name and version from
 * {@code spring.application.name} and the jar's manifest, and JSON logging (text under the {@code
 * dev} or {@code local} profile) unless the application brings its own logback configuration.
 */
public final class PlimsollEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  /** The name of the property source holding the defaults. */
  public static final String SOURCE_NAME = "plimsollDefaults";

  private static final List<String> OWN_LOGBACK_FILES =
      List.of("logback-test.xml", "logback.xml", "logback-spring.xml", "logback-test-spring.xml");

  /** Creates the post-processor; Spring Boot does it through {@code spring.factories}. */
  public PlimsollEnvironmentPostProcessor() {}

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty("ops.enabled", Boolean.class, true)) {
      return;
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("ops.shutdown.hook", "false");
    defaults.put("server.shutdown", "graceful");
    // The drain already waited for requests; the web server's own graceful phase must not add
    // Spring's default 30 s on top and break the budget.
    defaults.put(
        "spring.lifecycle.timeout-per-shutdown-phase", "${ops.shutdown.closer-timeout:5s}");
    // Plimsoll's /health/* are the probes; Actuator's own probe groups would be a second set.
    defaults.put("management.endpoint.health.probes.enabled", "false");
    if (blank(environment.getProperty("ops.service.name"))) {
      String name = environment.getProperty("otel.service.name");
      if (blank(name)) {
        name = environment.getProperty("spring.application.name");
      }
      if (!blank(name)) {
        defaults.put("ops.service.name", name);
      }
    }
    Class<?> main = application.getMainApplicationClass();
    if (blank(environment.getProperty("ops.service.version")) && main != null) {
      String version =
          main.getPackage() == null ? null : main.getPackage().getImplementationVersion();
      if (!blank(version)) {
        defaults.put("ops.service.version", version);
      }
    }
    boolean development = environment.acceptsProfiles(Profiles.of("dev | local"));
    String format = environment.getProperty("ops.log.format");
    if (blank(format)) {
      format = development ? "text" : "json";
      defaults.put("ops.log.format", format);
    }
    if (!"text".equalsIgnoreCase(format.trim())) {
      // Standard output is one JSON object per line; the banner's ASCII art is not one.
      defaults.put("spring.main.banner-mode", "off");
    }
    String level = environment.getProperty("ops.log.level");
    if (!blank(level)) {
      defaults.put("logging.level.root", level);
    }
    if (environment.getProperty("ops.log.enabled", Boolean.class, true)
        && blank(environment.getProperty("logging.config"))
        && !hasOwnLogbackConfiguration(application.getClassLoader())) {
      String file = "text".equalsIgnoreCase(format.trim()) ? "text" : "json";
      defaults.put("logging.config", "classpath:dev/plimsoll/ops/spring/logback-" + file + ".xml");
    }
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
  }

  private static boolean hasOwnLogbackConfiguration(@Nullable ClassLoader loader) {
    ClassLoader classLoader =
        loader != null ? loader : PlimsollEnvironmentPostProcessor.class.getClassLoader();
    return OWN_LOGBACK_FILES.stream().anyMatch(file -> classLoader.getResource(file) != null);
  }

  private static boolean blank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  /** After Spring Boot has loaded the application's configuration and profiles. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
