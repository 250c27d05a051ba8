package dev.plimsoll.ops.spring.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.ScanException;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.util.OptionHelper;
import dev.plimsoll.ops.logging.PlimsollConsoleAppender;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Not API. The starter's two logback configurations, {@code logback-json.xml} and {@code
 * logback-text.xml}, written as code: the same context properties from the same Spring properties,
 * the same {@code PLIMSOLL_ASYNC} appender with the same settings, the same root level. Building
 * them in code spares every application's start logback's XML parser and Joran (about 700 classes);
 * the files stay for a logging system that is Spring Boot's own, which still parses them.
 */
public enum StarterLogback {

  /** {@code logback-json.xml}: one JSON object per line with the service fields. */
  JSON("json"),

  /** {@code logback-text.xml}: readable lines with the request and trace IDs. */
  TEXT("text");

  private static final String APPENDER = "PLIMSOLL_ASYNC";

  private final String format;
  private final String location;

  StarterLogback(String format) {
    this.format = format;
    this.location = "classpath:dev/plimsoll/ops/spring/logback-" + format + ".xml";
  }

  /** The {@code logging.config} value that names this configuration. */
  public String location() {
    return location;
  }

  /** The configuration {@code location} names, or {@code null} for any other file. */
  public static @Nullable StarterLogback at(@Nullable String location) {
    for (StarterLogback configuration : values()) {
      if (configuration.location.equals(location)) {
        return configuration;
      }
    }
    return null;
  }

  /**
   * Configures {@code context}, already reset, as the file does: what its {@code springProperty}
   * elements put into the context, then the appender with the values its elements name, started, on
   * the root logger at {@code INFO}.
   */
  void apply(LoggerContext context, Environment environment) {
    // <configuration> with neither debug nor packagingData: what Joran does with their defaults.
    context.setPackagingDataEnabled(false);
    PlimsollConsoleAppender appender = new PlimsollConsoleAppender();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setFormat(format);
    if (this == JSON) {
      appender.setServiceName(
          property(
              context,
              environment,
              "PLIMSOLL_SERVICE_NAME",
              "ops.service.name",
              "unknown_service:java"));
      appender.setServiceVersion(
          property(
              context, environment, "PLIMSOLL_SERVICE_VERSION", "ops.service.version", "unknown"));
      appender.setEnvironment(
          property(context, environment, "PLIMSOLL_ENVIRONMENT", "ops.environment", "development"));
    } else {
      appender.setTraceIdField(
          property(
              context,
              environment,
              "PLIMSOLL_TRACE_ID_FIELD",
              "ops.log.trace-id-field",
              "trace_id"));
    }
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }

  /**
   * A {@code <springProperty scope="context">}: the Spring property or its default, put into the
   * context under {@code name}; returns what an element whose text is {@code ${name}} sets: the
   * value substituted as Joran substitutes it, then trimmed as Joran trims an element's text.
   */
  private static String property(
      LoggerContext context,
      Environment environment,
      String name,
      String source,
      String defaultValue) {
    context.putProperty(name, environment.getProperty(source, defaultValue));
    String reference = "${" + name + "}";
    try {
      return OptionHelper.substVars(reference, context).trim();
    } catch (ScanException | IllegalArgumentException e) {
      // Joran's answer to a value it cannot substitute: an error (which fails the start), the text
      // kept as it is.
      context
          .getStatusManager()
          .add(new ErrorStatus("Problem while parsing [" + reference + "]", context, e));
      return reference;
    }
  }
}
