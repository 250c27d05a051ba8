package dev.plimsoll.ops.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.logging.PlimsollAsyncAppender;
import dev.plimsoll.ops.logging.PlimsollJsonEncoder;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Builds the Plimsoll instances the benchmarks and launchers share. */
final class Bench {

  static final String SERVICE = "bench";
  static final String ROUTE = "/api/orders/{id}";
  static final String PATH = "/api/orders/42";

  private Bench() {}

  /**
   * A Plimsoll with its defaults, an OpenTelemetry SDK whose batch processor feeds an exporter that
   * discards, and logs written as JSON to {@code /dev/null} behind the asynchronous appender.
   */
  static Plimsoll plimsoll(boolean sampled, boolean accessLog, int maxRoutes) {
    Map<String, String> settings = new HashMap<>();
    settings.put("ops.service.name", SERVICE);
    settings.put("ops.service.version", "1.0.0");
    settings.put("ops.environment", "bench");
    settings.put("ops.shutdown.hook", "false");
    settings.put("ops.health.disk.min-free-mb", "0");
    settings.put("ops.shutdown.drain-delay", "0s");
    settings.put("ops.access-log.enabled", Boolean.toString(accessLog));
    settings.put("ops.metrics.max-routes", Integer.toString(maxRoutes));
    Plimsoll plimsoll =
        Plimsoll.builder()
            .settings(OpsSettings.from(ConfigSource.of(settings)))
            .openTelemetry(DiscardingSpanExporter.sdk(sampled))
            .build();
    logToDevNull();
    return plimsoll;
  }

  /** Plimsoll's JSON encoder, as {@code LogbackSetup} configures it, writing to /dev/null. */
  static PlimsollJsonEncoder encoder(LoggerContext context) {
    PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
    encoder.setServiceName(SERVICE);
    encoder.setServiceVersion("1.0.0");
    encoder.setEnvironment("bench");
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  /** Replaces the console appender: the console, not Plimsoll, would be the bottleneck. */
  static void logToDevNull() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setName("DEV_NULL");
    file.setContext(context);
    file.setFile("/dev/null");
    file.setAppend(true);
    file.setEncoder(encoder(context));
    file.start();
    PlimsollAsyncAppender async = new PlimsollAsyncAppender();
    async.setName("PLIMSOLL_ASYNC");
    async.setContext(context);
    async.addAppender(file);
    async.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
  }
}
