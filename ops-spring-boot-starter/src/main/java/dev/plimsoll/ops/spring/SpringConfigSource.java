package dev.plimsoll.ops.spring;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.ConfigSource;
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
