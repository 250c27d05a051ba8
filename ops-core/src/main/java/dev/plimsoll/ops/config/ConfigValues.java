package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The values a {@link ConfigSchema} read, one per declared setting. Immutable; its {@link
 * #toString()} masks secrets and credentials in URLs, so it may be logged.
 */
public final class ConfigValues {

  /** Thrown inside a rule that asks for a value that was invalid, so the rule is skipped. */
  static final class InvalidInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidInput() {
      super(null, null, false, false);
    }
  }

  private final Map<String, Setting<?>> settings;
  private final Map<String, @Nullable Object> values;
  private final Set<String> invalid;
  private final boolean production;
  private final @Nullable OpsSettings opsSettings;
  private final boolean opsSettingsInvalid;

  ConfigValues(
      Map<String, Setting<?>> settings,
      Map<String, @Nullable Object> values,
      Set<String> invalid,
      boolean production,
      @Nullable OpsSettings opsSettings,
      boolean opsSettingsInvalid) {
    this.settings = settings;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.invalid = Set.copyOf(invalid);
    this.production = production;
    this.opsSettings = opsSettings;
    this.opsSettingsInvalid = opsSettingsInvalid;
  }

  /**
   * The value of {@code setting}: what the source set, else its default; {@code null} only for an
   * optional setting without a default that is not set.
   *
   * @throws IllegalArgumentException if {@code setting} is not declared in the schema
   */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Setting<T> setting) {
    requireNonNull(setting, "setting");
    if (settings.get(setting.key()) != setting) {
      throw new IllegalArgumentException("not declared in this schema: " + setting.key());
    }
    if (invalid.contains(setting.key())) {
      throw new InvalidInput();
    }
    return (T) values.get(setting.key());
  }

  /** Whether {@code ops.environment} is {@code production}, so the production rules apply. */
  public boolean isProduction() {
    return production;
  }

  /**
   * Plimsoll's own settings, read from the same source; pass them to {@code
   * Plimsoll.builder().settings(...)}.
   *
   * @throws IllegalStateException if the schema does not include them
   */
  public OpsSettings opsSettings() {
    if (opsSettings == null) {
      throw new IllegalStateException("the schema does not include Plimsoll's settings");
    }
    if (opsSettingsInvalid) {
      throw new InvalidInput();
    }
    return opsSettings;
  }

  /** Each key with its value; secrets as {@link Redaction#MASK}, credentials in URLs masked. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("ConfigValues{");
    String separator = "";
    for (Map.Entry<String, @Nullable Object> entry : values.entrySet()) {
      Setting<?> setting = requireNonNull(settings.get(entry.getKey()));
      Object value = entry.getValue();
      text.append(separator).append(entry.getKey()).append('=');
      if (setting.isSecret()) {
        text.append(Redaction.MASK);
      } else {
        text.append(value == null ? "(unset)" : Redaction.url(String.valueOf(value)));
      }
      separator = ", ";
    }
    return text.append('}').toString();
  }
}
