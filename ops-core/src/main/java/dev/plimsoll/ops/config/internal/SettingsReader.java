package dev.plimsoll.ops.config.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Redaction;
import dev.plimsoll.ops.config.Setting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Not API. Reads settings from a source and collects every problem instead of stopping at the
 * first, so that one report can list them all. When the source's {@code ops.environment} is {@code
 * production} it also applies the production rules: secrets must be real, debug switches off, CORS
 * origins explicit. Not thread-safe; use one reader per validation.
 */
public final class SettingsReader {

  private final ConfigSource source;
  private final boolean production;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Set<String> unreadable = new HashSet<>();

  /** Creates a reader over {@code source}. */
  public SettingsReader(ConfigSource source) {
    this.source = requireNonNull(source, "source");
    this.production = ProductionRules.isProduction(source.get(OpsSettings.ENVIRONMENT.key()));
  }

  /**
   * Returns the parsed value of {@code setting}, its default when it is not set, or the default
   * (possibly {@code null}) after recording a problem when the value is invalid or missing. A value
   * that breaks a production rule is recorded as a problem and still returned.
   */
  public <T> @Nullable T get(Setting<T> setting) {
    String raw = source.get(setting.key());
    T value;
    if (raw == null || (raw.isBlank() && !setting.isRequired())) {
      if (setting.isRequired()) {
        unreadable.add(setting.key());
        problem(setting, "missing");
        return setting.defaultValue();
      }
      value = setting.defaultValue();
    } else {
      try {
        value = setting.parse(raw);
      } catch (IllegalArgumentException e) {
        unreadable.add(setting.key());
        problem(setting, describe(setting, raw, e));
        return setting.defaultValue();
      }
    }
    if (production) {
      checkProduction(setting, raw, value);
    }
    return value;
  }

  /** Whether the source gives {@code setting} a value (rather than leaving it to its default). */
  public boolean isSet(Setting<?> setting) {
    String raw = source.get(setting.key());
    return raw != null && !raw.isBlank();
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

  /** Records problems another check found, in the same report. */
  public void problems(List<ConfigProblem> found) {
    problems.addAll(found);
  }

  /** Whether the source's {@code ops.environment} is {@code production}, so its rules apply. */
  public boolean isProduction() {
    return production;
  }

  /** Whether {@code setting} was missing or could not be parsed, so its value is a stand-in. */
  public boolean isUnreadable(Setting<?> setting) {
    return unreadable.contains(setting.key());
  }

  /** How many problems were recorded so far. */
  public int problemCount() {
    return problems.size();
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

  private <T> void checkProduction(Setting<T> setting, @Nullable String raw, @Nullable T value) {
    if (setting.isSecret()) {
      // A secret set to blank counts as empty; an optional secret left unset is simply off, but a
      // secret text default (app.key=changeme) is checked like a value that was set.
      String text = raw != null ? raw : value instanceof String string ? string : null;
      String problem = text == null ? null : ProductionRules.secretProblem(text);
      if (problem != null) {
        problems.add(
            new ConfigProblem(
                setting.key(),
                setting.environmentName(),
                problem,
                ProductionRules.SECRET_EXPECTED));
      }
    }
    String problem = value == null ? null : setting.productionProblem(value);
    if (problem != null) {
      problems.add(
          new ConfigProblem(
              setting.key(), setting.environmentName(), problem, setting.expectedInProduction()));
    }
  }

  /**
   * A value as a report may show it: quoted, credentials in URLs masked, at most 64 characters,
   * control characters escaped so one problem stays one line.
   */
  static String shown(String raw) {
    String redacted = Redaction.url(raw);
    String shown = redacted.length() > 64 ? redacted.substring(0, 64) + "..." : redacted;
    StringBuilder safe = new StringBuilder("'");
    shown
        .codePoints()
        .forEach(
            c ->
                safe.append(
                    Character.isISOControl(c)
                        ? "\\u" + String.format("%04x", c)
                        : Character.toString(c)));
    return safe.append('\'').toString();
  }

  private static String describe(Setting<?> setting, String raw, IllegalArgumentException e) {
    String reason = e.getMessage() == null ? "invalid" : e.getMessage();
    if (setting.isSecret()) {
      return reason + " (value hidden: secret)";
    }
    return reason + ": " + shown(raw);
  }
}
