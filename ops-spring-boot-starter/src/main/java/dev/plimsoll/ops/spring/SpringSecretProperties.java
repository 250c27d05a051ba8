package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.Setting;
import dev.plimsoll.ops.config.internal.SettingsReader;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Plimsoll's production secret rules (set, not a placeholder, at least {@value
 * Setting#MIN_SECRET_LENGTH} characters) applied to the application's secret-like Spring
 * properties: every key whose last part names a password, secret or token ({@code
 * spring.datasource.password}, {@code ...client-secret}, {@code app.api-token}), unless it names
 * something about one ({@code token-uri}, {@code password-file}). Keys come from the application's
 * configuration; of the environment variables and system properties only those that bind to {@code
 * spring.*}, so that the JVM's own ({@code javax.net.ssl.trustStorePassword}) and unrelated
 * variables of the platform are left alone. {@code ops.*} keys are Plimsoll's own and checked with
 * them. Values are never reported.
 */
final class SpringSecretProperties {

  private static final Pattern SECRET_PART = Pattern.compile(".*(password|passwd|secret|token).*");
  private static final Pattern ABOUT_A_SECRET =
      Pattern.compile(
          ".*-(uri|url|file|path|location|name|header|enabled|type|length|timeout|ttl|validity)");
  private static final Set<String> PLATFORM_SOURCES =
      Set.of(
          StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
          StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);

  private SpringSecretProperties() {}

  /**
   * The problems of the secret-like properties; empty unless {@code ops.environment} is production.
   */
  static List<ConfigProblem> problems(Environment environment) {
    SettingsReader reader = new SettingsReader(new SpringConfigSource(environment));
    if (!reader.isProduction()) {
      return List.of();
    }
    for (String key : secretKeys(environment)) {
      Setting<String> setting;
      try {
        setting = Setting.string(key, null).secret();
      } catch (IllegalArgumentException notASettingKey) {
        continue; // e.g. an indexed key; nothing Plimsoll can name
      }
      try {
        reader.get(setting);
      } catch (IllegalArgumentException unresolvablePlaceholder) {
        // Spring reports an unresolvable ${...} itself, when the property is used.
      }
    }
    return reader.problems();
  }

  static Set<String> secretKeys(Environment environment) {
    Set<String> keys = new TreeSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)) {
        continue;
      }
      boolean platform =
          source.getUnderlyingSource() instanceof PropertySource<?> underlying
              && PLATFORM_SOURCES.contains(underlying.getName());
      for (ConfigurationPropertyName name : iterable) {
        String key = name.toString();
        if (key.startsWith("ops.") || (platform && !key.startsWith("spring."))) {
          continue;
        }
        String last = name.getLastElement(ConfigurationPropertyName.Form.DASHED);
        if (SECRET_PART.matcher(last).matches() && !ABOUT_A_SECRET.matcher(last).matches()) {
          keys.add(key);
        }
      }
    }
    return keys;
  }
}
