package dev.plimsoll.assets;

import static dev.plimsoll.assets.Poms.child;
import static dev.plimsoll.assets.Poms.children;
import static dev.plimsoll.assets.Poms.elements;
import static dev.plimsoll.assets.Poms.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.assets.Poms.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * What Maven Central requires of every published POM, that the BOM manages exactly the published
 * modules, and that the release profile publishes exactly them and stays out of the normal build.
 */
class PublishedPomsTest {

  static final String LICENSE_URL = "https://www.apache.org/licenses/LICENSE-2.0.txt";

  @Test
  void theLibraryModulesAndTheBomArePublishedAndNothingElse() {
    assertThat(Poms.published())
        .extracting(Module::artifactId)
        .containsExactly("ops-bom", "ops-core", "ops-servlet", "ops-spring-boot-starter");
  }

  @Test
  void everyPublishedPomHasTheMetadataMavenCentralRequires() {
    Element parent = Poms.root();
    List<Element> poms = new ArrayList<>();
    poms.add(parent);
    Poms.published().forEach(module -> poms.add(module.pom()));
    for (Element pom : poms) {
      String artifactId = text(pom, "artifactId");
      boolean inherits = child(pom, "parent") != null;
      Element effective = inherits ? parent : pom;
      assertThat(text(pom, "name")).as(artifactId + " name").isNotBlank();
      assertThat(text(pom, "description")).as(artifactId + " description").isNotBlank();
      if (inherits) {
        assertThat(text(pom, "description"))
            .as(artifactId + " has a description of its own")
            .isNotEqualTo(text(parent, "description"));
      }
      assertThat(firstNonNull(text(pom, "url"), text(effective, "url")))
          .as(artifactId + " url")
          .startsWith("https://");
      Element licenses = firstNonNull(child(pom, "licenses"), child(effective, "licenses"));
      assertThat(children(licenses, "license"))
          .as(artifactId + " licenses")
          .singleElement()
          .satisfies(
              license -> {
                assertThat(text(license, "name")).isEqualTo("Apache-2.0");
                assertThat(text(license, "url")).isEqualTo(LICENSE_URL);
              });
      Element scm = firstNonNull(child(pom, "scm"), child(effective, "scm"));
      for (String field : List.of("connection", "developerConnection", "url")) {
        assertThat(text(scm, field)).as(artifactId + " scm " + field).isNotBlank();
      }
      Element developers = firstNonNull(child(pom, "developers"), child(effective, "developers"));
      assertThat(children(developers, "developer")).as(artifactId + " developers").isNotEmpty();
    }
  }

  @Test
  void modulesInheritTheUrlAndScmWithoutTheirArtifactIdAppended() {
    // Maven otherwise publishes https://.../plimsoll/ops-core, an address that does not exist.
    Element parent = Poms.root();
    assertThat(parent.getAttribute("child.project.url.inherit.append.path")).isEqualTo("false");
    Element scm = Objects.requireNonNull(child(parent, "scm"));
    for (String field : List.of("connection", "developerConnection", "url")) {
      assertThat(scm.getAttribute("child.scm." + field + ".inherit.append.path"))
          .as("scm " + field)
          .isEqualTo("false");
    }
    for (Module module : Poms.published()) {
      if (child(module.pom(), "parent") != null) {
        assertThat(child(module.pom(), "scm")).as(module.artifactId() + " own scm").isNull();
        assertThat(child(module.pom(), "url")).as(module.artifactId() + " own url").isNull();
      }
    }
  }

  @Test
  void theBomManagesExactlyThePublishedLibraryModulesAtTheReactorsVersion() {
    Element bom = Poms.read(Assets.root().resolve("ops-bom/pom.xml"));
    assertThat(child(bom, "parent")).as("the BOM has no parent").isNull();
    assertThat(text(bom, "version")).isEqualTo(Poms.version());
    List<Element> managed =
        children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency");
    assertThat(managed)
        .extracting(dependency -> text(dependency, "groupId"))
        .containsOnly(Poms.GROUP_ID);
    assertThat(managed)
        .extracting(dependency -> text(dependency, "version"))
        .containsOnly("${project.version}");
    assertThat(managed)
        .extracting(dependency -> text(dependency, "artifactId"))
        .containsExactlyElementsOf(
            Poms.published().stream()
                .map(Module::artifactId)
                .filter(artifactId -> !artifactId.equals("ops-bom"))
                .toList());
  }

  @Test
  void theReleaseProfileExcludesExactlyTheModulesThatSkipDeploy() {
    Element publishing = releasePlugin(Poms.root(), "central-publishing-maven-plugin");
    List<String> excluded =
        children(child(child(publishing, "configuration"), "excludeArtifacts"), "artifact").stream()
            .map(artifact -> artifact.getTextContent().trim())
            .toList();
    assertThat(excluded)
        .containsExactlyElementsOf(
            Poms.modules().stream()
                .filter(module -> !module.published())
                .map(Module::artifactId)
                .toList());
  }

  @Test
  void signingAndPublishingHappenOnlyInTheReleaseProfileOfTheRootAndTheBom() {
    Element bom = Poms.read(Assets.root().resolve("ops-bom/pom.xml"));
    for (Element pom : List.of(Poms.root(), bom)) {
      Element profile = releaseProfile(pom);
      assertThat(child(profile, "activation")).as("release profile activation").isNull();
      for (String plugin : List.of("maven-gpg-plugin", "central-publishing-maven-plugin")) {
        assertThat(releasePlugin(pom, plugin)).isNotNull();
        assertThat(plugins(child(pom, "build")))
            .as(plugin + " outside the release profile")
            .extracting(p -> text(p, "artifactId"))
            .doesNotContain(plugin);
      }
      Element gpg = releasePlugin(pom, "maven-gpg-plugin");
      assertThat(children(child(child(gpg, "configuration"), "gpgArguments"), "arg"))
          .extracting(arg -> arg.getTextContent().trim())
          .containsExactly("--pinentry-mode", "loopback");
    }
    for (String version :
        List.of("maven-gpg-plugin.version", "central-publishing-maven-plugin.version")) {
      assertThat(property(bom, version)).as(version).isEqualTo(property(Poms.root(), version));
    }
  }

  @Test
  void theConsumerCheckUsesTheBuildsVersionsSoItNeedsNothingMoreToDownload() {
    Element consumer = Poms.read(Assets.root().resolve("consumer-check/pom.xml"));
    assertThat(child(consumer, "parent")).isNull();
    assertThat(property(consumer, "plimsoll.version")).isEqualTo(Poms.version());
    Map<String, String> shared = new TreeMap<>();
    for (Element property : elements(child(consumer, "properties"))) {
      String rootValue = property(Poms.root(), property.getTagName());
      if (rootValue != null) {
        shared.put(property.getTagName(), rootValue);
        assertThat(property.getTextContent().trim()).as(property.getTagName()).isEqualTo(rootValue);
      }
    }
    assertThat(shared).containsKeys("spring-boot.version", "maven-compiler-plugin.version");
    Element starter =
        children(child(consumer, "dependencies"), "dependency").stream()
            .filter(d -> "ops-spring-boot-starter".equals(text(d, "artifactId")))
            .findFirst()
            .orElseThrow();
    assertThat(child(starter, "version")).as("the starter's version comes from the BOM").isNull();
  }

  private static Element releaseProfile(Element pom) {
    return children(child(pom, "profiles"), "profile").stream()
        .filter(profile -> "release".equals(text(profile, "id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(text(pom, "artifactId") + " has no release profile"));
  }

  private static Element releasePlugin(Element pom, String artifactId) {
    return plugins(child(releaseProfile(pom), "build")).stream()
        .filter(plugin -> artifactId.equals(text(plugin, "artifactId")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("release profile without " + artifactId));
  }

  private static List<Element> plugins(@Nullable Element build) {
    return children(child(build, "plugins"), "plugin");
  }

  private static @Nullable String property(Element pom, String name) {
    return text(child(pom, "properties"), name);
  }

  private static <T> T firstNonNull(@Nullable T own, @Nullable T inherited) {
    return Objects.requireNonNull(own != null ? own : inherited, "neither own nor inherited");
  }
}
