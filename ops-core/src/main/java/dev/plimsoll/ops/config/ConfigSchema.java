package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.internal.OtelRules;
import dev.plimsoll.ops.config.internal.SettingsReader;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * An application's settings and the rules between them, validated all at once: every invalid value,
 * missing setting, broken rule and, when {@code ops.environment} is {@code production}, every
 * broken production rule is reported in one message. Immutable and thread-safe.
 *
 * <pre>{@code
 * static final Setting<String> DB_URL = Setting.jdbcUrl("app.database.url", null).required();
 * static final Setting<String> API_KEY = Setting.string("app.api-key", null).secret().required();
 * static final ConfigSchema SCHEMA =
 *     ConfigSchema.builder().add(DB_URL, API_KEY).includeOpsSettings().build();
 *
 * ConfigValues values = SCHEMA.requireValidOrExit(ConfigSource.standard());
 * }</pre>
 */
public final class ConfigSchema {

  /** The exit status when the configuration is invalid: {@code EX_CONFIG} from sysexits.h. */
  public static final int EXIT_CONFIG = 78;

  /** A rule that spans settings; it reports what is wrong to {@code problems}. */
  @FunctionalInterface
  public interface Rule {

    /**
     * Checks {@code values} and reports each problem. A rule that reads a setting whose value was
     * invalid is skipped, since that value is already reported.
     */
    void check(ConfigValues values, Problems problems);
  }

  /** Where a {@link Rule} reports problems. */
  @FunctionalInterface
  public interface Problems {

    /**
     * Reports that {@code setting} is wrong, in words such as "shorter than the drain delay"; the
     * text must not quote a secret's value.
     */
    void add(Setting<?> setting, String problem);
  }

  private final Map<String, Setting<?>> settings;
  private final List<Rule> rules;
  private final boolean includesOpsSettings;

  private ConfigSchema(Builder builder) {
    Map<String, Setting<?>> all = new LinkedHashMap<>(builder.settings);
    if (builder.includesOpsSettings) {
      for (Setting<?> setting : OpsSettings.declared()) {
        if (all.putIfAbsent(setting.key(), setting) != null) {
          throw new IllegalArgumentException(
              "declared twice, by the application and by Plimsoll: " + setting.key());
        }
      }
    }
    this.settings = Collections.unmodifiableMap(all);
    this.rules = List.copyOf(builder.rules);
    this.includesOpsSettings = builder.includesOpsSettings;
  }

  /** A builder for a schema. */
  public static Builder builder() {
    return new Builder();
  }

  /** Every setting this schema reads: the application's in order, then Plimsoll's if included. */
  public List<Setting<?>> settings() {
    return List.copyOf(settings.values());
  }

  /** The problems in {@code source}, empty when it is valid; never throws for bad values. */
  public List<ConfigProblem> validate(ConfigSource source) {
    return read(source).problems();
  }

  /**
   * Reads and validates every setting from {@code source}.
   *
   * @throws ConfigException listing every problem, secrets masked
   */
  public ConfigValues requireValid(ConfigSource source) {
    Result result = read(source);
    if (!result.problems().isEmpty()) {
      throw new ConfigException(result.problems());
    }
    return result.values();
  }

  /**
   * Reads and validates every setting from {@code source}; when anything is wrong, prints one
   * report to standard error and exits the JVM with {@link #EXIT_CONFIG}, before anything is
   * served. Call it first thing in {@code main}.
   */
  public ConfigValues requireValidOrExit(ConfigSource source) {
    return requireValidOrExit(source, System.err, System::exit);
  }

  ConfigValues requireValidOrExit(ConfigSource source, PrintStream err, IntConsumer exit) {
    try {
      return requireValid(source);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      err.println("Not starting: fix the settings above (exit status " + EXIT_CONFIG + ").");
      err.flush();
      exit.accept(EXIT_CONFIG);
      throw e;
    }
  }

  private Result read(ConfigSource source) {
    requireNonNull(source, "source");
    SettingsReader reader = new SettingsReader(source);
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    Set<String> invalid = new HashSet<>();
    // OpsSettings reports Plimsoll's problems; its values are also read quietly for get() and
    // rules.
    SettingsReader quiet = new SettingsReader(source);
    List<Setting<?>> opsSettings = includesOpsSettings ? OpsSettings.declared() : List.of();
    for (Setting<?> setting : settings.values()) {
      boolean plimsolls = opsSettings.contains(setting);
      SettingsReader target = plimsolls ? quiet : reader;
      values.put(setting.key(), target.get(setting));
      if (target.isUnreadable(setting)) {
        invalid.add(setting.key());
      }
    }
    OpsSettings ops = null;
    boolean opsInvalid = false;
    if (includesOpsSettings) {
      int before = reader.problemCount();
      ops = OpsSettings.read(reader, source);
      // The OTEL_* values matter only if Plimsoll will build its own SDK: not beside the agent.
      if (!GlobalOpenTelemetry.isSet()) {
        reader.problems(OtelRules.check(source));
      }
      opsInvalid = reader.problemCount() > before;
    }
    ConfigValues read =
        new ConfigValues(settings, values, invalid, reader.isProduction(), ops, opsInvalid);
    for (Rule rule : rules) {
      try {
        rule.check(read, reader::problem);
      } catch (ConfigValues.InvalidInput skipped) {
        // The invalid value the rule needed is already reported.
      }
    }
    return new Result(read, reader.problems());
  }

  private record Result(ConfigValues values, List<ConfigProblem> problems) {}

  /** Declares settings and rules; checks each argument at once. */
  public static final class Builder {

    private final Map<String, Setting<?>> settings = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private boolean includesOpsSettings;

    private Builder() {}

    /**
     * Declares settings, reported in the order they are added.
     *
     * @throws IllegalArgumentException if a key is declared twice
     */
    public Builder add(Setting<?>... settings) {
      for (Setting<?> setting : settings) {
        requireNonNull(setting, "setting");
        if (this.settings.putIfAbsent(setting.key(), setting) != null) {
          throw new IllegalArgumentException("declared twice: " + setting.key());
        }
      }
      return this;
    }

    /** Adds a rule that spans settings; rules run after every setting is read. */
    public Builder rule(Rule rule) {
      rules.add(requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * Validates Plimsoll's own {@code ops.*} settings ({@link OpsSettings}) with the application's,
     * so one report lists both; {@link ConfigValues#opsSettings()} then returns them. The {@code
     * OTEL_*} values Plimsoll's own OpenTelemetry SDK would read are checked too ({@link
     * OpsSettings#validateOpenTelemetry}), unless an OpenTelemetry is already installed as {@code
     * GlobalOpenTelemetry} (the Java agent's), which Plimsoll then uses instead.
     */
    public Builder includeOpsSettings() {
      includesOpsSettings = true;
      return this;
    }

    /**
     * Builds the immutable schema.
     *
     * @throws IllegalArgumentException if the application declares one of Plimsoll's keys too
     */
    public ConfigSchema build() {
      return new ConfigSchema(this);
    }
  }
}
