package dev.plimsoll.ops.logging;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAware;
import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.OpsSettings;

/**
 * Configures logback for a service: JSON ({@link PlimsollJsonEncoder}) or readable text on standard
 * output, behind an asynchronous appender that never blocks the caller.
 */
public final class LogbackSetup {

  /** Context property set once Plimsoll has configured logback, so it may reconfigure it later. */
  public static final String CONFIGURED_PROPERTY = "dev.plimsoll.ops.logging.configured";

  /** Events the asynchronous appender holds before it starts dropping. */
  public static final int QUEUE_SIZE = 8192;

  private LogbackSetup() {}

  /**
   * Replaces the configuration of {@code context} with Plimsoll's.
   *
   * @param serviceVersion the {@code service.version} field
   */
  public static void configure(LoggerContext context, OpsSettings settings, String serviceVersion) {
    requireNonNull(context, "context");
    requireNonNull(settings, "settings");
    requireNonNull(serviceVersion, "serviceVersion");
    context.reset();

    Encoder<ILoggingEvent> encoder;
    if (settings.logFormat().equals("text")) {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(
          "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} [trace=%X{"
              + settings.traceIdField()
              + ":--} request=%X{"
              + LogFields.REQUEST_ID
              + ":--}] %msg %kvp%n");
      encoder = text;
    } else {
      PlimsollJsonEncoder json = new PlimsollJsonEncoder();
      json.setServiceName(settings.serviceName());
      json.setServiceVersion(serviceVersion);
      json.setEnvironment(settings.environment());
      encoder = json;
    }
    encoder.setContext(context);
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("PLIMSOLL_CONSOLE");
    console.setContext(context);
    console.setEncoder(encoder);
    console.start();

    PlimsollAsyncAppender async = new PlimsollAsyncAppender();
    async.setName("PLIMSOLL_ASYNC");
    async.setContext(context);
    async.addAppender(console);
    async.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(settings.logLevel(), Level.INFO));
    root.addAppender(async);
    context.putProperty(CONFIGURED_PROPERTY, "true");
  }

  /**
   * Reads the settings from the environment; when they are invalid, warns through logback's status
   * and returns the defaults, since logging must work even before the application reports its bad
   * settings.
   */
  static OpsSettings settingsOrDefaults(ContextAware reporter) {
    try {
      return OpsSettings.fromEnvironment();
    } catch (ConfigException e) {
      reporter.addWarn("Invalid OPS_* settings; logging with defaults. " + e.getMessage());
      return OpsSettings.defaults();
    }
  }

  /** Whether Plimsoll configured {@code context}, rather than the application's own logback.xml. */
  public static boolean isConfiguredByPlimsoll(LoggerContext context) {
    return "true".equals(context.getProperty(CONFIGURED_PROPERTY));
  }
}
