package dev.plimsoll.assets;

import static dev.plimsoll.assets.RulesFiles.map;
import static dev.plimsoll.assets.RulesFiles.maps;
import static dev.plimsoll.assets.RulesFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Commands;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every build says which version it is, and the image, its tag and the process agree: the image
 * workflow computes the version with {@code scripts/service-version.sh} (the rule Plimsoll's
 * BuildInfo applies to a jar) and hands it and the commit to every image build.
 */
class ImageVersionTest {

  private static final Path IMAGE_WORKFLOW = Assets.root().resolve(".github/workflows/image.yml");

  @Test
  void everyImageBuildGetsTheVersionAndTheCommit() {
    Map<String, Object> workflow = yaml(IMAGE_WORKFLOW);
    List<Map<String, Object>> steps =
        maps(map(map(workflow.get("jobs")).values().iterator().next()).get("steps"));
    assertThat(steps)
        .as("a step computes the version with scripts/service-version.sh")
        .anySatisfy(
            step -> {
              assertThat(step.get("id")).isEqualTo("version");
              assertThat(String.valueOf(step.get("run"))).contains("scripts/service-version.sh");
            });
    List<Map<String, Object>> builds =
        steps.stream()
            .filter(s -> String.valueOf(s.get("uses")).startsWith("docker/build-push-action@"))
            .toList();
    assertThat(builds).isNotEmpty();
    for (Map<String, Object> build : builds) {
      assertThat(String.valueOf(map(build.get("with")).get("build-args")))
          .as("build-args of %s", build.get("name"))
          .contains("VERSION=${{ steps.version.outputs.version }}")
          .contains("REVISION=${{ github.sha }}");
    }
  }

  /** A snapshot's version carries its commit; a release's is the release. */
  @Test
  void theVersionScriptNamesTheCommitOfASnapshot() {
    String revision = "3f2a9c1e4b7d0a1b2c3d4e5f60718293a4b5c6d7";
    String pomVersion = Poms.version();
    String version =
        Commands.run(Assets.root().resolve("scripts/service-version.sh").toString(), revision);
    if (pomVersion.endsWith("-SNAPSHOT")) {
      assertThat(version).isEqualTo(pomVersion + "-3f2a9c1e4b7d");
    } else {
      assertThat(version).isEqualTo(pomVersion);
    }
    // A Docker tag and a Kubernetes label value can both hold it.
    assertThat(version).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  }
}
