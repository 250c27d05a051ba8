package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import dev.plimsoll.ops.testsupport.LogCapture;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

/**
 * The startup warning about static-resource mappings with nothing to serve: one line when the
 * mappings are on and no location exists; none when they are off, or when the application has
 * static files (in a directory, as in development, or in a jar).
 */
class StaticResourceMappingsTest {

  @TempDir Path dir;

  @Test
  void aServletApplicationGetsTheCheck() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                PlimsollAutoConfiguration.class, PlimsollWebAutoConfiguration.class))
        .withPropertyValues(
            "ops.shutdown.hook=false", "ops.shutdown.drain-delay=0s", "ops.service.name=static")
        .run(context -> assertThat(context).hasSingleBean(StaticResourceMappings.class));
  }

  @Test
  void mappingsOnWithNoStaticLocationLogOneWarningLine() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern("%level %logger %msg%n");
    try (LogCapture logs = LogCapture.attach(encoder)) {
      check(new MockEnvironment(), getClass().getClassLoader()).afterSingletonsInstantiated();
      assertThat(logs.lines())
          .filteredOn(l -> l.contains(StaticResourceMappings.class.getName()))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith("WARN ")
                      .contains("spring.web.resources.add-mappings=false"));
    }
  }

  @Test
  void mappingsOffSayNothing() {
    MockEnvironment off =
        new MockEnvironment().withProperty(StaticResourceMappings.ADD_MAPPINGS, "false");
    assertThat(check(off, getClass().getClassLoader()).mappedButEmpty()).isFalse();
  }

  @Test
  void staticFilesInADirectoryMeanNoWarning() throws Exception {
    Files.createDirectories(dir.resolve("static"));
    Files.writeString(dir.resolve("static/index.html"), "<h1>hello</h1>");
    assertThat(check(new MockEnvironment(), over(dir.toUri().toURL())).mappedButEmpty()).isFalse();
  }

  @Test
  void staticFilesInAJarMeanNoWarning() throws Exception {
    Path jar = dir.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("public/"));
      out.closeEntry();
      out.putNextEntry(new JarEntry("public/app.js"));
      out.write("console.log(1)".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertThat(check(new MockEnvironment(), over(jar.toUri().toURL())).mappedButEmpty()).isFalse();
  }

  @Test
  void aCustomLocationCountsOnlyIfItExists() throws Exception {
    Files.createDirectories(dir.resolve("site"));
    ClassLoader loader = getClass().getClassLoader();
    MockEnvironment site =
        new MockEnvironment()
            .withProperty(StaticResourceMappings.STATIC_LOCATIONS, dir.toUri() + "site/");
    MockEnvironment none =
        new MockEnvironment()
            .withProperty(StaticResourceMappings.STATIC_LOCATIONS, dir.toUri() + "none/");
    assertThat(check(site, loader).mappedButEmpty()).isFalse();
    assertThat(check(none, loader).mappedButEmpty()).isTrue();
  }

  private static StaticResourceMappings check(MockEnvironment environment, ClassLoader loader) {
    return new StaticResourceMappings(environment, new DefaultResourceLoader(loader));
  }

  private static ClassLoader over(URL url) {
    return new URLClassLoader(new URL[] {url}, StaticResourceMappingsTest.class.getClassLoader());
  }
}
