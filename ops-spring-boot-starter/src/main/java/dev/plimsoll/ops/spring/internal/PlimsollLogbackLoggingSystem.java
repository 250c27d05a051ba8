package dev.plimsoll.ops.spring.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.status.OnConsoleStatusListener;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.OptionHelper;
import ch.qos.logback.core.util.StatusListenerConfigHelper;
import ch.qos.logback.core.util.StatusPrinter2;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemFactory;
import org.springframework.boot.logging.logback.LogbackLoggingSystem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Not API. Spring Boot's logback logging system, except that the starter's own {@code
 * logging.config} files ({@link StarterLogback}) are built in code rather than parsed by Joran; any
 * other file, the application's {@code logback-spring.xml} or {@code logback.xml}, Boot's defaults
 * and everything after the configuration ({@code logging.level.*}, the loggers endpoint, clean-up)
 * are Spring Boot's, unchanged. The steps around the configuration are those of {@link
 * LogbackLoggingSystem#loadConfiguration} for a file.
 */
public class PlimsollLogbackLoggingSystem extends LogbackLoggingSystem {

  private static final String BRIDGE_HANDLER = "org.slf4j.bridge.SLF4JBridgeHandler";

  /** Spring Boot's status listener (package-private), added as Boot adds it for a file. */
  private static final @Nullable Method SYSTEM_STATUS_LISTENER = systemStatusListener();

  /** Created by {@link Factory}. */
  public PlimsollLogbackLoggingSystem(ClassLoader classLoader) {
    super(classLoader);
  }

  @Override
  protected void loadConfiguration(
      LoggingInitializationContext initializationContext,
      String location,
      @Nullable LogFile logFile) {
    StarterLogback configuration = StarterLogback.at(location);
    if (configuration == null || SYSTEM_STATUS_LISTENER == null) {
      super.loadConfiguration(initializationContext, location, logFile);
      return;
    }
    LoggerContext context = loggerContext();
    context.stop();
    context.reset();
    if (isBridgeHandlerInstalled()) {
      LevelChangePropagator propagator = new LevelChangePropagator();
      propagator.setResetJUL(true);
      propagator.setContext(context);
      context.addListener(propagator);
    }
    Environment environment = initializationContext.getEnvironment();
    Assert.state(environment != null, "'environment' must not be null");
    // Nothing logs while the context has no appender, as under Spring Boot's own configuration.
    TurboFilter suppressAll = new SuppressAll();
    context.getTurboFilterList().add(suppressAll);
    try {
      context.putObject(Environment.class.getName(), environment);
      applySystemProperties(environment, logFile);
      try {
        SYSTEM_STATUS_LISTENER.invoke(null, context);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Could not initialize Logback logging from " + location, e);
      }
      // What Joran does for <configuration> without a debug attribute.
      String debug = OptionHelper.getSystemProperty("logback.debug");
      if (!(OptionHelper.isNullOrEmptyOrAllSpaces(debug)
          || debug.equalsIgnoreCase("false")
          || debug.equalsIgnoreCase("null"))) {
        StatusListenerConfigHelper.addOnConsoleListenerInstance(
            context, new OnConsoleStatusListener());
      }
      configuration.apply(context, environment);
      context.start();
    } finally {
      context.getTurboFilterList().remove(suppressAll);
    }
    reportConfigurationErrors(context);
  }

  /** As Spring Boot does after a file: errors fail the start, warnings are printed. */
  private static void reportConfigurationErrors(LoggerContext context) {
    StringBuilder errors = new StringBuilder();
    List<Throwable> causes = new ArrayList<>();
    for (Status status : context.getStatusManager().getCopyOfStatusList()) {
      if (status.getLevel() == Status.ERROR) {
        errors.append(errors.isEmpty() ? "" : String.format("%n")).append(status);
        if (status.getThrowable() != null) {
          causes.add(status.getThrowable());
        }
      }
    }
    if (errors.isEmpty()) {
      if (!StatusUtil.contextHasStatusListener(context)) {
        new StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
      }
      return;
    }
    IllegalStateException failure =
        new IllegalStateException(
            String.format("Logback configuration error detected: %n%s", errors));
    causes.forEach(failure::addSuppressed);
    throw failure;
  }

  private static LoggerContext loggerContext() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    Assert.state(factory instanceof LoggerContext, "LoggerFactory is not a Logback LoggerContext");
    return (LoggerContext) factory;
  }

  private static boolean isBridgeHandlerInstalled() {
    if (!ClassUtils.isPresent(
        BRIDGE_HANDLER, PlimsollLogbackLoggingSystem.class.getClassLoader())) {
      return false;
    }
    Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
    return handlers.length == 1 && handlers[0].getClass().getName().equals(BRIDGE_HANDLER);
  }

  /**
   * {@code SystemStatusListener.addTo(LoggerContext)}, or {@code null} where this Spring Boot has
   * none: then the starter's files are parsed as Spring Boot parses them.
   */
  private static @Nullable Method systemStatusListener() {
    try {
      Method addTo =
          Class.forName(
                  "org.springframework.boot.logging.logback.SystemStatusListener",
                  false,
                  LogbackLoggingSystem.class.getClassLoader())
              .getDeclaredMethod("addTo", LoggerContext.class);
      addTo.setAccessible(true);
      return addTo;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Denies every event. */
  private static final class SuppressAll extends TurboFilter {
    @Override
    public FilterReply decide(
        Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
      return FilterReply.DENY;
    }
  }

  /**
   * Chosen ahead of Spring Boot's logback factory, and only where that one would be chosen: when
   * logback is present.
   */
  @Order(Ordered.HIGHEST_PRECEDENCE + 1023)
  public static final class Factory implements LoggingSystemFactory {

    private static final boolean PRESENT =
        ClassUtils.isPresent(
            "ch.qos.logback.classic.LoggerContext", Factory.class.getClassLoader());

    /** Created by Spring Boot through {@code spring.factories}. */
    public Factory() {}

    @Override
    public @Nullable LoggingSystem getLoggingSystem(ClassLoader classLoader) {
      return PRESENT ? new PlimsollLogbackLoggingSystem(classLoader) : null;
    }
  }
}
