package dev.plimsoll.ops.spring.internal;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Not API. Writes Spring Boot's configuration metadata ({@code
 * META-INF/spring-configuration-metadata.json}, which IDEs read to complete and explain {@code
 * ops.*} properties) from the declarations in {@link OpsSettings}, at build time, so that no
 * property class restates a key, type, default or description. The build runs {@link #main} after
 * compiling the starter.
 */
public final class ConfigurationMetadataGenerator {

  /** Where Spring Boot looks for the metadata in a jar. */
  public static final String RESOURCE = "META-INF/spring-configuration-metadata.json";

  private ConfigurationMetadataGenerator() {}

  /**
   * Writes the metadata below the class output directory given as the only argument.
   *
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ConfigurationMetadataGenerator <classes-dir>");
    }
    Path file = Path.of(args[0]).resolve(RESOURCE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, json(), StandardCharsets.UTF_8);
  }

  /** The metadata as JSON: one property per setting and switch, in declaration order. */
  public static String json() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("groups", List.of());
    List<Map<String, Object>> properties = new ArrayList<>();
    for (List<Setting<?>> declarations : List.of(OpsSettings.ALL, OpsSettings.SWITCHES)) {
      for (Setting<?> setting : declarations) {
        properties.add(property(setting));
      }
    }
    metadata.put("properties", properties);
    metadata.put("hints", List.of());
    return JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build()
            .writeValueAsString(metadata)
        + "\n";
  }

  private static Map<String, Object> property(Setting<?> setting) {
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("name", setting.key());
    property.put("type", setting.typeName());
    property.put("description", description(setting));
    Object defaultValue = defaultValue(setting);
    if (defaultValue != null) {
      property.put("defaultValue", defaultValue);
    }
    return property;
  }

  /**
   * The declared description as plain text, as IDEs show it (without Markdown); a switch's says
   * what {@code false} turns off.
   */
  public static String description(Setting<?> setting) {
    String text = setting.description().replace("`", "");
    return OpsSettings.SWITCHES.contains(setting) ? SWITCH_PREFIX + text : text;
  }

  /** What a switch's description starts with. */
  static final String SWITCH_PREFIX = "On by default; false turns off: ";

  /**
   * The default as the metadata gives it: a JSON boolean or number for those types, an array for a
   * list, else the text one would write; the starter's own default where it has one; {@code null}
   * when there is none.
   */
  public static @Nullable Object defaultValue(Setting<?> setting) {
    String text = StarterDefaults.SETTINGS.get(setting.key());
    if (text == null) {
      text = printedDefault(setting);
    }
    if (text == null) {
      return null;
    }
    return switch (setting.typeName()) {
      case "java.lang.Boolean" -> Boolean.valueOf(text);
      case "java.lang.Integer" -> Integer.valueOf(text);
      case "java.lang.Double" -> Double.valueOf(text);
      default ->
          setting.typeName().startsWith("java.util.List<")
              ? (text.isEmpty() ? null : List.of(text.split(",", -1)))
              : text;
    };
  }

  private static <T> @Nullable String printedDefault(Setting<T> setting) {
    T value = setting.defaultValue();
    return value == null ? null : setting.format(value);
  }
}
