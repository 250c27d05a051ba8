package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

class PlimsollEnvironmentPostProcessorTest {

  private static StandardEnvironment environment(
      Map<String, Object> properties, String... profiles) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("test", new HashMap<>(properties)));
    environment.setActiveProfiles(profiles);
    return environment;
  }

  private static StandardEnvironment process(StandardEnvironment environment) {
    new PlimsollEnvironmentPostProcessor()
        .postProcessEnvironment(
            environment, new SpringApplication(PlimsollEnvironmentPostProcessorTest.class));
    return environment;
  }

  @Test
  void jsonLogsGracefulShutdownAndTheApplicationNameByDefault() {
    StandardEnvironment env = process(environment(Map.of("spring.application.name", "billing")));
    assertThat(env.getProperty("logging.config"))
        .isEqualTo("classpath:dev/plimsoll/ops/spring/logback-json.xml");
    assertThat(env.getProperty("ops.log.format")).isEqualTo("json");
    assertThat(env.getProperty("ops.service.name")).isEqualTo("billing");
    assertThat(env.getProperty("server.shutdown")).isEqualTo("graceful");
    assertThat(env.getProperty("ops.shutdown.hook")).isEqualTo("false");
    assertThat(env.getProperty("spring.lifecycle.timeout-per-shutdown-phase")).isEqualTo("5s");
    assertThat(env.getProperty("spring.main.banner-mode")).isEqualTo("off");
    // Actuator's probes stay as the application had them.
    assertThat(env.getProperty("management.endpoint.health.probes.enabled")).isNull();
    assertThat(env.getProperty("ops.shutdown.drain-delay")).isNull();
  }

  @Test
  void anInvalidSwitchCountsAsOnHereAndIsLeftToTheOneReport() {
    // Spring's own getProperty(key, Boolean.class) would throw here, before the report is made.
    StandardEnvironment env =
        process(environment(Map.of("ops.enabled", "maybe", "ops.log.enabled", "perhaps")));
    assertThat(env.getProperty("server.shutdown")).isEqualTo("graceful");
    assertThat(env.getProperty("logging.config"))
        .isEqualTo("classpath:dev/plimsoll/ops/spring/logback-json.xml");
    assertThat(process(environment(Map.of("ops.enabled", "FALSE"))).getProperty("server.shutdown"))
        .isNull();
  }

  @Test
  void noDrainDelayUnderTheDevProfileOutsideKubernetes() {
    assertThat(process(environment(Map.of(), "dev")).getProperty("ops.shutdown.drain-delay"))
        .isEqualTo("0s");
    assertThat(
            process(environment(Map.of("spring.main.cloud-platform", "kubernetes"), "local"))
                .getProperty("ops.shutdown.drain-delay"))
        .isNull();
    assertThat(
            process(environment(Map.of("ops.shutdown.drain-delay", "2s"), "dev"))
                .getProperty("ops.shutdown.drain-delay"))
        .isEqualTo("2s");
  }

  @Test
  void theServiceNameFromTheManifestWhenTheApplicationHasNoName(@TempDir Path dir)
      throws Exception {
    Class<?> probe = ManifestProbe.class;
    String entry = probe.getName().replace('.', '/') + ".class";
    Path jar = dir.resolve("app.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, "billing-service");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        InputStream bytes =
            probe.getResourceAsStream(entry.substring(entry.lastIndexOf('/') + 1))) {
      out.putNextEntry(new JarEntry(entry));
      bytes.transferTo(out);
    }
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      SpringApplication application = new SpringApplication(getClass());
      application.setMainApplicationClass(loader.loadClass(probe.getName()));
      StandardEnvironment env = environment(Map.of());
      new PlimsollEnvironmentPostProcessor().postProcessEnvironment(env, application);
      assertThat(env.getProperty("ops.service.name")).isEqualTo("billing-service");

      StandardEnvironment named = environment(Map.of("spring.application.name", "billing"));
      new PlimsollEnvironmentPostProcessor().postProcessEnvironment(named, application);
      assertThat(named.getProperty("ops.service.name")).isEqualTo("billing");
    }
  }

  /** A class with no dependencies, loaded from a jar with a manifest. */
  static final class ManifestProbe {}

  @Test
  void textLogsUnderTheDevAndLocalProfilesUnlessAFormatIsSet() {
    assertThat(process(environment(Map.of(), "dev")).getProperty("logging.config"))
        .endsWith("logback-text.xml");
    assertThat(process(environment(Map.of(), "local")).getProperty("ops.log.format"))
        .isEqualTo("text");
    assertThat(process(environment(Map.of(), "dev")).getProperty("spring.main.banner-mode"))
        .isNull();
    assertThat(
            process(environment(Map.of("ops.log.format", "json"), "dev"))
                .getProperty("logging.config"))
        .endsWith("logback-json.xml");
  }

  @Test
  void theApplicationsOwnSettingsWin() {
    StandardEnvironment env =
        process(
            environment(
                Map.of(
                    "logging.config", "classpath:mine.xml",
                    "server.shutdown", "immediate",
                    "ops.service.name", "named",
                    "spring.application.name", "other",
                    "ops.log.level", "warn")));
    assertThat(env.getProperty("logging.config")).isEqualTo("classpath:mine.xml");
    assertThat(env.getProperty("server.shutdown")).isEqualTo("immediate");
    assertThat(env.getProperty("ops.service.name")).isEqualTo("named");
    assertThat(env.getProperty("logging.level.root")).isEqualTo("warn");
  }

  @Test
  void anApplicationWithItsOwnLogbackFileKeepsIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("logback-spring.xml"), "<configuration/>");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      SpringApplication application = new SpringApplication(getClass());
      application.setResourceLoader(new DefaultResourceLoader(loader));
      StandardEnvironment env = environment(Map.of());
      new PlimsollEnvironmentPostProcessor().postProcessEnvironment(env, application);
      assertThat(env.getProperty("logging.config")).isNull();
      assertThat(env.getProperty("server.shutdown")).isEqualTo("graceful");
    }
  }

  @Test
  void opsEnabledFalseAddsNothing() {
    StandardEnvironment env = process(environment(Map.of("ops.enabled", "false")));
    assertThat(env.getPropertySources().contains(PlimsollEnvironmentPostProcessor.SOURCE_NAME))
        .isFalse();
    assertThat(env.getProperty("logging.config")).isNull();
  }
}
