package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.metrics.BuildInfo;
import dev.plimsoll.ops.spring.internal.StarterDefaults;
import dev.plimsoll.ops.spring.internal.StarterLogback;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * Plimsoll's defaults for a Spring Boot application, at the lowest precedence so any setting of the
 * application wins: graceful web server shutdown, no second JVM shutdown hook (Spring's lifecycle
 * drains), the service name from {@code spring.application.name} or else the jar manifest's {@code
 * Implementation-Title}, the version from the manifest, no drain delay under the {@code dev} or
 * {@code local} profile outside Kubernetes, and JSON logging (text under the {@code dev} or {@code
 * local} profile) unless the application brings its own logback configuration.
 */
final class PlimsollEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  /** The name of the property source holding the defaults. */
  public static final String SOURCE_NAME = "plimsollDefaults";

  private static final List<String> OWN_LOGBACK_FILES =
      List.of("logback-test.xml", "logback.xml", "logback-spring.xml", "logback-test-spring.xml");

  /** Creates the post-processor; Spring Boot does it through {@code spring.factories}. */
  PlimsollEnvironmentPostProcessor() {}

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!SpringConfigSource.isOn(environment, OpsSettings.ENABLED)) {
      return;
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.putAll(StarterDefaults.SETTINGS);
    defaults.put("server.shutdown", "graceful");
    // The drain already waited for requests; the web server's own graceful phase must not add
    // Spring's default 30 s on top and break the budget.
    // Spring's Duration conversion reads the value: the one duration syntax keeps it the duration
    // Plimsoll reads.
    defaults.put(
        "spring.lifecycle.timeout-per-shutdown-phase",
        "${"
            + OpsSettings.SHUTDOWN_CLOSER_TIMEOUT.key()
            + ":"
            + OpsSettings.SHUTDOWN_CLOSER_TIMEOUT.documentedDefault()
            + "}");
    Class<?> main = application.getMainApplicationClass();
    if (blank(environment.getProperty("ops.service.name"))) {
      String name = environment.getProperty("otel.service.name");
      if (blank(name)) {
        name = environment.getProperty("spring.application.name");
      }
      if (blank(name) && main != null && main.getPackage() != null) {
        name = main.getPackage().getImplementationTitle();
      }
      if (!blank(name)) {
        defaults.put("ops.service.name", name.trim());
      }
    }
    if (blank(environment.getProperty("ops.service.version")) && main != null) {
      // The same version Plimsoll reports everywhere else, so that the log lines written before
      // Plimsoll starts say it too: a snapshot's carries its revision.
      String version =
          BuildInfo.resolve(null, environment.getProperty("ops.vcs.revision"), main)
              .serviceVersion();
      if (!BuildInfo.UNKNOWN.equals(version)) {
        defaults.put("ops.service.version", version);
      }
    }
    boolean development = environment.acceptsProfiles(Profiles.of("dev | local"));
    if (development
        && blank(environment.getProperty("ops.shutdown.drain-delay"))
        && !CloudPlatform.KUBERNETES.isActive(environment)) {
      // Ctrl-C on a developer's machine: no load balancer to wait for.
      defaults.put("ops.shutdown.drain-delay", "0s");
    }
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
    if (SpringConfigSource.isOn(environment, OpsSettings.LOG_ENABLED)
        && blank(environment.getProperty("logging.config"))
        && !hasOwnLogbackConfiguration(application.getClassLoader())) {
      StarterLogback configuration =
          "text".equalsIgnoreCase(format.trim()) ? StarterLogback.TEXT : StarterLogback.JSON;
      defaults.put("logging.config", configuration.location());
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
