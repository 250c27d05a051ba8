package dev.plimsoll.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildInfoTest {

  @TempDir static Path tmp;

  @Test
  void versionComesFromTheJarManifestWhenNotSet() {
    // micrometer-core's manifest carries Implementation-Version but no SCM-Revision.
    BuildInfo info = BuildInfo.resolve(null, null, Timer.class);
    assertThat(info.serviceVersion())
        .isEqualTo(Timer.class.getPackage().getImplementationVersion())
        .isNotBlank();
    assertThat(info.vcsRevision()).isEqualTo(BuildInfo.UNKNOWN);
    assertThat(info.javaVersion()).isEqualTo(System.getProperty("java.version"));
  }

  @Test
  void settingsWinOverTheManifest() {
    BuildInfo info = BuildInfo.resolve("9.9.9", "deadbeef", Timer.class);
    assertThat(info.serviceVersion()).isEqualTo("9.9.9");
    assertThat(info.vcsRevision()).isEqualTo("deadbeef");
  }

  @Test
  void withoutAJarEverythingIsUnknown() {
    BuildInfo info = BuildInfo.resolve(null, null, BuildInfoTest.class);
    assertThat(info.serviceVersion()).isEqualTo(BuildInfo.UNKNOWN);
  }

  @Test
  void everyBuildOfASnapshotIsAVersionOfItsOwn() throws Exception {
    BuildInfo first = resolveFromJar("0.1.0-SNAPSHOT", "3f2a9c1e4b7d0a1b2c3d4e5f60718293a4b5c6d7");
    BuildInfo second = resolveFromJar("0.1.0-SNAPSHOT", "77aa9c1e4b7d0a1b2c3d4e5f60718293a4b5c6d7");
    assertThat(first.serviceVersion()).isEqualTo("0.1.0-SNAPSHOT-3f2a9c1e4b7d");
    assertThat(first.vcsRevision()).isEqualTo("3f2a9c1e4b7d0a1b2c3d4e5f60718293a4b5c6d7");
    assertThat(second.serviceVersion()).isEqualTo("0.1.0-SNAPSHOT-77aa9c1e4b7d");
  }

  @Test
  void aReleaseKeepsItsVersion() throws Exception {
    BuildInfo release = resolveFromJar("1.4.0", "3f2a9c1e4b7d0a1b2c3d4e5f60718293a4b5c6d7");
    assertThat(release.serviceVersion()).isEqualTo("1.4.0");
  }

  @Test
  void aSnapshotWithoutARevisionKeepsItsVersion() throws Exception {
    // A build without .git and without -Dgit.commit.id writes an empty SCM-Revision.
    assertThat(resolveFromJar("0.1.0-SNAPSHOT", "").serviceVersion()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(BuildInfo.buildVersion("0.1.0-SNAPSHOT", "${git.commit.id}"))
        .isEqualTo("0.1.0-SNAPSHOT");
  }

  @Test
  void anExplicitVersionIsNeverChanged() {
    assertThat(BuildInfo.resolve("0.1.0-SNAPSHOT", "3f2a9c1e4b7d", Timer.class).serviceVersion())
        .isEqualTo("0.1.0-SNAPSHOT");
  }

  /** Loads a class from a jar whose manifest says {@code version} and {@code revision}. */
  private static BuildInfo resolveFromJar(String version, String revision) throws Exception {
    Path jar = Files.createTempFile(tmp, "app", ".jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    manifest.getMainAttributes().putValue(BuildInfo.REVISION_ATTRIBUTE, revision);
    String entry = BuildInfoTest.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        InputStream in = BuildInfoTest.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      return BuildInfo.resolve(null, null, loader.loadClass(BuildInfoTest.class.getName()));
    }
  }

  @Test
  void isPublishedAsAGaugeOfOne() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new BuildInfo("1.0", "abc", "17").bindTo(registry);
    assertThat(
            registry
                .get(MetricNames.BUILD_INFO)
                .tag(MetricNames.VCS_REVISION, "abc")
                .tag(MetricNames.JAVA_VERSION, "17")
                .gauge()
                .value())
        .isEqualTo(1.0);
  }
}
