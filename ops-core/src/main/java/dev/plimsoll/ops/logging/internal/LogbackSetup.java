package dev.plimsoll.ops.logging.internal;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.ContextAware;
import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.logging.PlimsollConsoleAppender;

/**
 * Configures logback for a service with {@link PlimsollConsoleAppender} (the pipeline {@link
 * LogPipeline} defines) on the root logger, when the application has no logback.xml of its own. Not
 * API.
 */
public final class LogbackSetup {

  /** Context property set once Plimsoll has configured logback, so it may reconfigure it later. */
  public static final String CONFIGURED_PROPERTY = "dev.plimsoll.ops.logging.configured";

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
    PlimsollConsoleAppender appender = new PlimsollConsoleAppender();
    appender.setName(LogPipeline.ASYNC_APPENDER);
    appender.setContext(context);
    appender.setFormat(settings.logFormat());
    appender.setServiceName(settings.serviceName());
    appender.setServiceVersion(serviceVersion);
    appender.setEnvironment(settings.environment());
    appender.setTraceIdField(settings.traceIdField());
    appender.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(settings.logLevel(), Level.INFO));
    root.addAppender(appender);
    context.putProperty(CONFIGURED_PROPERTY, "true");
  }

  /**
   * Reads the settings from the environment; when they are invalid, returns the defaults, since
   * logging must work even before the application reports its bad settings. The note is an info
   * status, not a warning: a warning makes logback print its whole status list, a second copy of
   * the report the application prints once.
   */
  public static OpsSettings settingsOrDefaults(ContextAware reporter) {
    try {
      return OpsSettings.fromEnvironment();
    } catch (ConfigException e) {
      reporter.addInfo("Invalid OPS_* settings; logging with defaults until they are reported");
      return OpsSettings.defaults();
    }
  }

  /** Whether Plimsoll configured {@code context}, rather than the application's own logback.xml. */
  public static boolean isConfiguredByPlimsoll(LoggerContext context) {
    return "true".equals(context.getProperty(CONFIGURED_PROPERTY));
  }
}
