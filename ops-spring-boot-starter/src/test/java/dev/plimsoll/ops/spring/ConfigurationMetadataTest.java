package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import dev.plimsoll.ops.spring.internal.ConfigurationMetadataGenerator;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/**
 * The IDE metadata packaged with the starter is what core's declarations say, key by key: written
 * at build time from {@link OpsSettings}, never by hand. The format is Spring Boot's
 * (docs.spring.io/spring-boot/specification/configuration-metadata/format.html): each property has
 * a name, a type named as a Java type, a description and, when it has one, a default.
 */
class ConfigurationMetadataTest {

  @Test
  @SuppressWarnings("unchecked")
  void thePackagedMetadataHasEverySettingAndSwitchWithItsTypeDefaultAndDescription()
      throws Exception {
    URL resource = getClass().getClassLoader().getResource(ConfigurationMetadataGenerator.RESOURCE);
    assertThat(resource).as("metadata written by the build").isNotNull();
    // The starter's own copy, not one of another jar on the test class path.
    assertThat(resource.toString()).contains("ops-spring-boot-starter");
    Map<String, Object> metadata;
    try (InputStream in = resource.openStream()) {
      metadata = new ObjectMapper().readValue(in, Map.class);
    }
    Map<String, Map<String, Object>> packaged = new LinkedHashMap<>();
    for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
      assertThat(packaged.put((String) property.get("name"), property))
          .as("declared twice: %s", property.get("name"))
          .isNull();
    }
    Map<String, Map<String, Object>> declared = new LinkedHashMap<>();
    List<Setting<?>> all = new ArrayList<>(OpsSettings.ALL);
    all.addAll(OpsSettings.SWITCHES);
    for (Setting<?> setting : all) {
      declared.put(setting.key(), expected(setting));
    }
    // No key missing, none extra, and each one whole.
    assertThat(packaged.keySet()).containsExactlyElementsOf(declared.keySet());
    for (Map.Entry<String, Map<String, Object>> entry : declared.entrySet()) {
      assertThat(packaged.get(entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
    }
    assertThat(metadata.get("groups")).isEqualTo(List.of());
    assertThat(metadata.get("hints")).isEqualTo(List.of());
  }

  @Test
  @SuppressWarnings("unchecked")
  void defaultsAreTypedAsSpringBootWritesThemAndTheStartersOwnWin() throws Exception {
    Map<String, Object> metadata;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream(ConfigurationMetadataGenerator.RESOURCE)) {
      metadata = new ObjectMapper().readValue(in, Map.class);
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
      defaults.put((String) property.get("name"), property.get("defaultValue"));
    }
    assertThat(defaults)
        .containsEntry("ops.metrics.max-routes", 512)
        .containsEntry("ops.access-log.enabled", true)
        .containsEntry("ops.access-log.sample-rate", 1.0)
        .containsEntry("ops.shutdown.timeout", "20s")
        .containsEntry("ops.metrics.slo-latencies", List.of("500ms"))
        .containsEntry("ops.metrics.exclude-paths", List.of("/health", "/metrics"))
        .containsEntry("ops.tracing.enabled", true)
        // Spring's lifecycle runs the drain: no JVM shutdown hook under Spring Boot.
        .containsEntry("ops.shutdown.hook", false)
        .containsEntry("ops.management.port", null)
        .containsEntry("ops.http.trusted-proxies", null);
  }

  /** What the declaration gives, computed here from the declaration's own accessors. */
  private static Map<String, Object> expected(Setting<?> setting) {
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("name", setting.key());
    property.put("type", setting.typeName());
    assertThat(setting.description()).as("description of %s", setting.key()).isNotBlank();
    String text = setting.description().replace("`", "");
    property.put(
        "description",
        OpsSettings.SWITCHES.contains(setting) ? "On by default; false turns off: " + text : text);
    Object defaultValue = ConfigurationMetadataGenerator.defaultValue(setting);
    if (defaultValue != null) {
      property.put("defaultValue", defaultValue);
    }
    return property;
  }
}
