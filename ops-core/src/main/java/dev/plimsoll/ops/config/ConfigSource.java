package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where settings come from. Keys are canonical: lower case, dot separated, such as {@code
 * ops.request-id.header}; an environment source looks the same key up as {@code
 * OPS_REQUEST_ID_HEADER}.
 */
@FunctionalInterface
public interface ConfigSource {

  /** Returns the raw value of a canonical key, or {@code null} when this source does not set it. */
  @Nullable String get(String key);

  /**
   * Returns every key this source sets that starts with a canonical prefix, with its value. Used
   * for families of keys read by other libraries, such as {@code otel.*}.
   */
  default Map<String, String> withPrefix(String prefix) {
    return Map.of();
  }

  /**
   * Process environment variables: {@code ops.metrics.max-routes} is read as {@code
   * OPS_METRICS_MAX_ROUTES}.
   */
  static ConfigSource environment() {
    return of(System.getenv(), true);
  }

  /** JVM system properties, read by their canonical key. */
  static ConfigSource systemProperties() {
    Map<String, String> copy = new HashMap<>();
    System.getProperties().forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
    return of(copy);
  }

  /** A fixed map keyed by canonical keys; for tests and programmatic settings. */
  static ConfigSource of(Map<String, String> values) {
    return of(values, false);
  }

  /** System properties first, then environment variables: what a twelve-factor service reads. */
  static ConfigSource standard() {
    return firstOf(systemProperties(), environment());
  }

  /** Asks each source in turn; the first one that sets a key wins. */
  static ConfigSource firstOf(ConfigSource... sources) {
    List<ConfigSource> list = List.of(sources);
    return new ConfigSource() {
      @Override
      public @Nullable String get(String key) {
        for (ConfigSource source : list) {
          String value = source.get(key);
          if (value != null) {
            return value;
          }
        }
        return null;
      }

      @Override
      public Map<String, String> withPrefix(String prefix) {
        Map<String, String> merged = new HashMap<>();
        for (int i = list.size() - 1; i >= 0; i--) {
          merged.putAll(list.get(i).withPrefix(prefix));
        }
        return merged;
      }
    };
  }

  /**
   * The environment-variable name of a canonical key: upper case, dots and dashes as underscores.
   */
  static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static ConfigSource of(Map<String, String> values, boolean environmentNames) {
    Map<String, String> copy = Map.copyOf(requireNonNull(values, "values"));
    return new ConfigSource() {
      @Override
      public @Nullable String get(String key) {
        return copy.get(environmentNames ? environmentName(key) : key);
      }

      @Override
      public Map<String, String> withPrefix(String prefix) {
        String wanted = environmentNames ? environmentName(prefix) : prefix;
        Map<String, String> found = new HashMap<>();
        copy.forEach(
            (name, value) -> {
              if (name.startsWith(wanted)) {
                found.put(
                    environmentNames ? name.toLowerCase(Locale.ROOT).replace('_', '.') : name,
                    value);
              }
            });
        return found;
      }
    };
  }
}
