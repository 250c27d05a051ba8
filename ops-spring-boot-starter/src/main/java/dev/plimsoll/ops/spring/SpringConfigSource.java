package dev.plimsoll.ops.spring;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.Setting;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Plimsoll's settings as Spring sees them: application properties, profiles, system properties and
 * environment variables with relaxed names ({@code OPS_SHUTDOWN_DRAIN_DELAY} for {@code
 * ops.shutdown.drain-delay}).
 */
final class SpringConfigSource implements ConfigSource {

  private final Environment environment;

  SpringConfigSource(Environment environment) {
    this.environment = requireNonNull(environment, "environment");
  }

  /**
   * Whether {@code toggle} is on in {@code environment}, for the code that must decide before the
   * settings are validated: an invalid value counts as the default, which is what Spring's {@code
   * ConditionalOnProperty} does with it too, and {@link StartupConfigValidator} reports it.
   */
  static boolean isOn(Environment environment, Setting<Boolean> toggle) {
    boolean byDefault = Boolean.TRUE.equals(toggle.defaultValue());
    String raw = environment.getProperty(toggle.key());
    if (raw == null || raw.isBlank()) {
      return byDefault;
    }
    try {
      return toggle.parse(raw);
    } catch (IllegalArgumentException invalid) {
      return byDefault;
    }
  }

  @Override
  public @Nullable String get(String key) {
    return environment.getProperty(key);
  }

  @Override
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> found = new HashMap<>(ConfigSource.standard().withPrefix(prefix));
    if (environment instanceof ConfigurableEnvironment configurable) {
      for (PropertySource<?> source : configurable.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> enumerable) {
          for (String name : enumerable.getPropertyNames()) {
            if (name.startsWith(prefix) && !found.containsKey(name)) {
              String value = environment.getProperty(name);
              if (value != null) {
                found.put(name, value);
              }
            }
          }
        }
      }
    }
    return found;
  }
}
