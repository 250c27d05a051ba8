package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Redaction;
import dev.plimsoll.ops.tracing.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.env.Environment;

/**
 * Validates the whole configuration before any bean is created: Plimsoll's {@code ops.*} settings
 * and the starter's switches (types, ranges, cross-field and production rules) and every field of
 * the application's {@code @ConfigurationProperties} classes, so one report lists every problem
 * instead of the first.
 */
final class StartupConfigValidator
    implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(password|passwd|secret|token|credential|api-?key|private-?key).*");

  /** Spring Boot's {@code server.port} when it is not set. */
  private static final int DEFAULT_SERVER_PORT = 8080;

  private @Nullable Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    Environment env = environment;
    if (env == null) {
      return;
    }
    SpringConfigSource source = new SpringConfigSource(env);
    List<ConfigProblem> problems = new ArrayList<>(OpsSettings.validate(source));
    if (buildsItsOwnOpenTelemetry(beanFactory, env)) {
      problems.addAll(OpsSettings.validateOpenTelemetry(source));
    }
    problems.addAll(SpringSecretProperties.problems(env));
    ConfigProblem port = managementPortClash(env);
    if (port != null) {
      problems.add(port);
    }
    Binder binder = Binder.get(env);
    Set<Class<?>> seen = new HashSet<>();
    for (String name : beanFactory.getBeanDefinitionNames()) {
      Class<?> type = beanFactory.getType(name, false);
      if (type == null || !seen.add(type)) {
        continue;
      }
      ConfigurationProperties annotation =
          AnnotationUtils.findAnnotation(type, ConfigurationProperties.class);
      if (annotation == null || type.getName().startsWith("org.springframework.")) {
        continue; // Spring's own properties are reported by Spring
      }
      String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
      problems.addAll(bindEachField(binder, prefix, type));
    }
    if (!problems.isEmpty()) {
      throw new StartupConfigException(new ConfigException(problems));
    }
  }

  /**
   * {@code ops.management.port} must not be the application's own port: the details it guards would
   * be public. Equal to {@code management.server.port} is fine (served beside Actuator).
   */
  static @Nullable ConfigProblem managementPortClash(Environment env) {
    Integer ops = integer(env, OpsSettings.MANAGEMENT_PORT.key());
    if (ops == null) {
      return null;
    }
    Integer server = integer(env, "server.port");
    if (!ops.equals(server == null ? DEFAULT_SERVER_PORT : server)) {
      return null;
    }
    return new ConfigProblem(
        OpsSettings.MANAGEMENT_PORT.key(),
        ConfigSource.environmentName(OpsSettings.MANAGEMENT_PORT.key()),
        "is " + ops + ", the port of server.port, where it would make health details public",
        "a port other than server.port (management.server.port's is fine), or unset");
  }

  private static @Nullable Integer integer(Environment env, String key) {
    try {
      return env.getProperty(key, Integer.class);
    } catch (RuntimeException e) {
      return null; // reported by the validation of the setting itself
    }
  }

  /**
   * Whether Plimsoll will build its own SDK, so the {@code otel.*} values it reads matter: tracing
   * on, and neither an {@code OpenTelemetry} bean (Spring Boot's, the application's) nor a global
   * one (the Java agent's).
   */
  private static boolean buildsItsOwnOpenTelemetry(
      ConfigurableListableBeanFactory beanFactory, Environment env) {
    return SpringConfigSource.isOn(env, OpsSettings.TRACING_ENABLED)
        && beanFactory.getBeanNamesForType(OpenTelemetry.class, true, false).length == 0
        && Tracing.installed() == null;
  }

  private static List<ConfigProblem> bindEachField(Binder binder, String prefix, Class<?> type) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (Class<?> current = type;
        current != null && current != Object.class;
        current = current.getSuperclass()) {
      for (Field field : current.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
          continue;
        }
        String key = prefix + "." + kebab(field.getName());
        try {
          binder.bind(key, Bindable.of(ResolvableType.forField(field)));
        } catch (BindException e) {
          problems.add(problem(key, field, e));
        }
      }
    }
    return problems;
  }

  private static ConfigProblem problem(String key, Field field, BindException e) {
    String property = e.getProperty() != null ? e.getProperty().getName().toString() : key;
    boolean secret = SECRET_NAME.matcher(property).matches();
    ConversionFailedException conversion = cause(e, ConversionFailedException.class);
    if (conversion != null) {
      Object value = conversion.getValue();
      String text = value == null ? "" : Redaction.url(String.valueOf(value));
      String shown =
          secret
              ? "cannot be read (value hidden: secret)"
              : "cannot be read: '"
                  + (text.length() > 64 ? text.substring(0, 64) + "..." : text)
                  + "'";
      return new ConfigProblem(
          property,
          ConfigSource.environmentName(property),
          shown,
          "a " + conversion.getTargetType().getType().getSimpleName());
    }
    // Rejected by the properties class itself, such as a range check in a record's constructor.
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return new ConfigProblem(
        property,
        ConfigSource.environmentName(property),
        secret ? "invalid (value hidden: secret)" : "invalid: " + Redaction.url(reason),
        "a valid " + field.getType().getSimpleName());
  }

  private static <T extends Throwable> @Nullable T cause(Throwable failure, Class<T> type) {
    for (Throwable current = failure; current != null; current = current.getCause()) {
      if (type.isInstance(current)) {
        return type.cast(current);
      }
    }
    return null;
  }

  private static String kebab(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** Before every other post-processor, so nothing is built from a bad configuration. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
