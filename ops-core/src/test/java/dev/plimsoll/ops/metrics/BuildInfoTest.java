package dev.plimsoll.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

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
