package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads settings from a source and collects every problem instead of stopping at the first, so that
 * one report can list them all. Not thread-safe; use one reader per validation.
 */
public final class SettingsReader {

  private final ConfigSource source;
  private final List<ConfigProblem> problems = new ArrayList<>();

  /** Creates a reader over {@code source}. */
  public SettingsReader(ConfigSource source) {
    this.source = requireNonNull(source, "source");
  }

  /**
   * Returns the parsed value of {@code setting}, its default when it is not set, or the default
   * (possibly {@code null}) after recording a problem when the value is invalid or missing.
   */
  public <T> @Nullable T get(Setting<T> setting) {
    String raw = source.get(setting.key());
    if (raw == null || (raw.isBlank() && !setting.isRequired())) {
      if (setting.isRequired()) {
        problem(setting, "missing");
      }
      return setting.defaultValue();
    }
    try {
      return setting.parse(raw);
    } catch (IllegalArgumentException e) {
      problem(setting, describe(setting, raw, e));
      return setting.defaultValue();
    }
  }

  /** Like {@link #get} for a setting that always has a default. */
  public <T> T getOrDefault(Setting<T> setting) {
    T value = get(setting);
    return value != null ? value : requireNonNull(setting.defaultValue(), setting.key());
  }

  /** Records a problem found by a rule that spans settings or looks beyond one value. */
  public void problem(Setting<?> setting, String problem) {
    problems.add(
        new ConfigProblem(setting.key(), setting.environmentName(), problem, setting.expected()));
  }

  /** Every problem recorded so far. */
  public List<ConfigProblem> problems() {
    return List.copyOf(problems);
  }

  /**
   * Throws when any problem was recorded.
   *
   * @throws ConfigException listing every problem
   */
  public void requireValid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static String describe(Setting<?> setting, String raw, IllegalArgumentException e) {
    String reason = e.getMessage() == null ? "invalid" : e.getMessage();
    if (setting.isSecret()) {
      return reason + " (value hidden: secret)";
    }
    String redacted = Redaction.url(raw);
    String shown = redacted.length() > 64 ? redacted.substring(0, 64) + "..." : redacted;
    StringBuilder safe = new StringBuilder();
    shown
        .codePoints()
        .forEach(
            c ->
                safe.append(
                    Character.isISOControl(c)
                        ? "\\u" + String.format("%04x", c)
                        : Character.toString(c)));
    return reason + ": '" + safe + "'";
  }
}
