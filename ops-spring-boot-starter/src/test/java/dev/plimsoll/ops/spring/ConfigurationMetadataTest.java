package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import dev.plimsoll.ops.testsupport.ContractDoc;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** The generated IDE metadata documents every setting Plimsoll's core reads. */
class ConfigurationMetadataTest {

  @Test
  @SuppressWarnings("unchecked")
  void everyCoreSettingIsInTheGeneratedMetadataWithADescription() throws Exception {
    Map<String, Object> metadata;
    try (InputStream in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata").isNotNull();
      metadata = new ObjectMapper().readValue(in, Map.class);
    }
    Map<String, Map<String, Object>> properties =
        ((List<Map<String, Object>>) metadata.get("properties"))
            .stream().collect(Collectors.toMap(p -> (String) p.get("name"), p -> p));
    for (Setting<?> setting : OpsSettings.ALL) {
      assertThat(properties).as("metadata of %s", setting.key()).containsKey(setting.key());
      assertThat((String) properties.get(setting.key()).get("description"))
          .as("description of %s", setting.key())
          .isNotBlank();
    }
    // Every other key is one of the starter's switches, each documented in docs/contract.md.
    Set<String> switches =
        ContractDoc.load().table("### Spring Boot starter switches", "Switch").stream()
            .map(row -> ContractDoc.code(row.get(0)))
            .collect(Collectors.toSet());
    Set<String> others = new TreeSet<>(properties.keySet());
    OpsSettings.ALL.forEach(setting -> others.remove(setting.key()));
    assertThat(others).isEqualTo(switches);
  }
}
