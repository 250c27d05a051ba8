package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.assets.Poms.Module;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plimsoll as a Maven Central user gets it. The published POMs and the jars this build made are
 * laid out in a fresh local repository, exactly as Central would serve them; {@code
 * consumer-check/}, a project outside the reactor that imports the BOM and names the starter
 * without a version, is built against it (offline, anything else read from the build's own
 * repository) and started, and must serve its probes and metrics.
 */
class ConsumerCheckIT {

  @TempDir Path work;

  @Test
  void everyPublishedModuleHasItsMainSourcesAndJavadocJars() {
    for (Module module : Poms.published()) {
      if (module.packaging().equals("jar")) {
        for (String classifier : List.of("", "-sources", "-javadoc")) {
          assertThat(jar(module, classifier)).isRegularFile();
        }
      }
    }
  }

  @Test
  void aProjectImportingTheBomBuildsAndStartsWithTheStarterAlone() throws Exception {
    Path repository = work.resolve("repository");
    Path project = prepare(repository);
    Path log = build(project, repository, "package");
    // Under Spring Boot's dependency management, with the enforcer's dependencyConvergence rule.
    assertConverges(log);

    int port = FreePorts.find();
    String base = "http://127.0.0.1:" + port;
    try (JavaProcess app =
        JavaProcess.startJar(
            project.resolve("target/consumer-check.jar"),
            Map.of("OPS_SHUTDOWN_DRAIN_DELAY", "0s"),
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
            List.of("--server.port=" + port))) {
      HttpResponse<String> ready =
          Await.until(
              "the consumer application to be ready at " + base,
              Duration.ofSeconds(90),
              () -> {
                assertThat(app.isAlive()).as("running; stderr: %s", app.stderr()).isTrue();
                try {
                  HttpResponse<String> response = TestHttp.get(base + "/health/ready");
                  return response.statusCode() == 200 ? response : null;
                } catch (IllegalStateException notYet) {
                  return null;
                }
              });
      assertThat(ready.body()).contains("\"status\":\"UP\"", "\"group\":\"ready\"");

      // The application has no route of its own: an unknown path is its one request (probes and
      // scrapes are not recorded). A request is recorded as its filter returns, which may be just
      // after the client has the whole response: it appears in a scrape shortly.
      assertThat(TestHttp.get(base + "/no-such-page").statusCode()).isEqualTo(404);
      HttpResponse<String> metrics =
          Await.until(
              "the request recorded in /metrics",
              Duration.ofSeconds(10),
              () -> {
                HttpResponse<String> scrape = TestHttp.get(base + "/metrics");
                return scrape.body().contains("http_route=\"UNMATCHED\"") ? scrape : null;
              });
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("http_server_request_duration_seconds", "ops_build_info", "jvm_")
          .doesNotContain("http_route=\"/health");
    }
  }

  @Test
  void aPlainServletConsumerWithoutSpringBootsManagementHasAConvergentTree() throws Exception {
    Path repository = work.resolve("repository");
    Path project = prepare(repository);

    // The enforcer's dependencyConvergence rule runs in validate; the build fails on two versions
    // of one artifact anywhere in the tree (it did: jackson-core 3.0.1 beside 3.1.5).
    Path log = build(project.resolve("servlet"), repository, "validate");
    assertConverges(log);
  }

  /**
   * The rule passed on a complete tree: a POM missing offline would hide that artifact's own
   * dependencies from it (an older jackson-databind's did), so the rule would pass on too little.
   */
  private static void assertConverges(Path log) throws IOException {
    assertThat(Files.readString(log))
        .contains("DependencyConvergence passed")
        .doesNotContain("no dependency information available");
  }

  /** Publishes the modules to {@code repository} and copies {@code consumer-check/} to build. */
  private Path prepare(Path repository) throws IOException {
    publish(repository);
    Path project = work.resolve("consumer-check");
    copyTree(Assets.root().resolve("consumer-check"), project);
    return project;
  }

  /** The parent POM, the BOM and each library module's POM and jar, in Maven's layout. */
  private static void publish(Path repository) throws IOException {
    String version = Poms.version();
    install(repository, Poms.PARENT, version, Assets.root().resolve("pom.xml"), "pom");
    for (Module module : Poms.published()) {
      install(repository, module.artifactId(), version, module.dir().resolve("pom.xml"), "pom");
      if (module.packaging().equals("jar")) {
        Path jar = jar(module, "");
        assertThat(jar).as("built before this module").isRegularFile();
        install(repository, module.artifactId(), version, jar, "jar");
      }
    }
  }

  private static void install(
      Path repository, String artifactId, String version, Path file, String extension)
      throws IOException {
    Path dir =
        repository.resolve(Poms.GROUP_ID.replace('.', '/')).resolve(artifactId).resolve(version);
    Files.createDirectories(dir);
    Files.copy(file, dir.resolve(artifactId + "-" + version + "." + extension));
  }

  private static Path jar(Module module, String classifier) {
    return module
        .dir()
        .resolve("target")
        .resolve(module.artifactId() + "-" + Poms.version() + classifier + ".jar");
  }

  private Path build(Path project, Path repository, String goal) throws Exception {
    String buildRepository =
        System.getProperty(
            "plimsoll.build.repository",
            Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
    Path log = work.resolve(project.getFileName() + "-" + goal + ".log");
    ProcessBuilder maven =
        new ProcessBuilder(
                Assets.root().resolve("mvnw").toString(),
                "-B",
                "-ntp",
                "--offline",
                "-f",
                project.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + repository,
                "-Dmaven.repo.local.tail=" + buildRepository,
                goal)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // The build's own Maven options would name its local repository a second time.
    maven.environment().remove("MAVEN_ARGS");
    Process process = maven.start();
    boolean done = process.waitFor(4, TimeUnit.MINUTES);
    if (!done) {
      process.destroyForcibly();
    }
    assertThat(done && process.exitValue() == 0)
        .as("the consumer build succeeded:%n%s", tail(log))
        .isTrue();
    return log;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(f -> !f.toString().contains("/target")).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
