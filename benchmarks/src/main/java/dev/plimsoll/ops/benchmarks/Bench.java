package dev.plimsoll.ops.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.logging.LogFields;
import dev.plimsoll.ops.logging.PlimsollAsyncAppender;
import dev.plimsoll.ops.logging.PlimsollConsoleAppender;
import dev.plimsoll.ops.logging.PlimsollJsonEncoder;
import dev.plimsoll.ops.logging.internal.BatchingConsoleOutput;
import dev.plimsoll.ops.logging.internal.DirectJsonProviders;
import dev.plimsoll.ops.logging.internal.LogPipeline;
import dev.plimsoll.ops.metrics.internal.HttpServerMetrics;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

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
    return plimsoll(sampled, accessLog, maxRoutes, Map.of());
  }

  /** The same, with {@code more} settings on top. */
  static Plimsoll plimsoll(
      boolean sampled, boolean accessLog, int maxRoutes, Map<String, String> more) {
    Map<String, String> settings = new HashMap<>();
    settings.put("ops.service.name", SERVICE);
    settings.put("ops.service.version", "1.0.0");
    settings.put("ops.environment", "bench");
    settings.put("ops.shutdown.hook", "false");
    settings.put("ops.health.disk.min-free-mb", "0");
    settings.put("ops.shutdown.drain-delay", "0s");
    settings.put("ops.access-log.enabled", Boolean.toString(accessLog));
    settings.put("ops.metrics.max-routes", Integer.toString(maxRoutes));
    settings.putAll(more);
    Plimsoll plimsoll =
        Plimsoll.builder()
            .settings(OpsSettings.from(ConfigSource.of(settings)))
            .openTelemetry(DiscardingSpanExporter.sdk(sampled))
            .build();
    logToDevNull();
    return plimsoll;
  }

  /**
   * The HTTP server metrics in {@code plimsoll}'s registry, configured as its own request observer
   * configures them, for the benchmarks that record without a request around it.
   */
  static HttpServerMetrics httpMetrics(Plimsoll plimsoll) {
    return new HttpServerMetrics(
        plimsoll.metrics().registry(),
        plimsoll.settings().maxRoutes(),
        plimsoll.settings().sloLatencies());
  }

  /** Plimsoll's log pipeline with the benchmarks' service fields. */
  static LogPipeline pipeline() {
    LogPipeline pipeline = new LogPipeline();
    pipeline.setFormat(LogPipeline.JSON);
    pipeline.setServiceName(SERVICE);
    pipeline.setServiceVersion("1.0.0");
    pipeline.setEnvironment("bench");
    return pipeline;
  }

  /** Plimsoll's JSON encoder, as the pipeline builds it, started in {@code context}. */
  static Encoder<ILoggingEvent> encoder(LoggerContext context) {
    return pipeline().encoder(context);
  }

  /**
   * Plimsoll's console appender on the root logger, as a service without a logback.xml gets it: the
   * load harness sends standard output to a regular file, as a container runtime does.
   */
  static void logToConsole() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    PlimsollConsoleAppender console = new PlimsollConsoleAppender();
    console.setName(LogPipeline.ASYNC_APPENDER);
    console.setContext(context);
    console.setServiceName(SERVICE);
    console.setServiceVersion("1.0.0");
    console.setEnvironment("bench");
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
  }

  /**
   * Plimsoll's JSON encoder with the pipeline's service fields but without its direct path: every
   * event through logstash's providers, as before the direct path.
   */
  static Encoder<ILoggingEvent> providersEncoder(LoggerContext context) {
    PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
    encoder.setServiceName(SERVICE);
    encoder.setServiceVersion("1.0.0");
    encoder.setEnvironment("bench");
    ((DirectJsonProviders) encoder.getProviders()).setDirectEnabled(false);
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  /**
   * Plimsoll's pipeline with its output on /dev/null instead of the console: the console, not
   * Plimsoll, would be the bottleneck. The output is the one standard output gets, writing each
   * batch in chunks (of {@value BatchingConsoleOutput#PIPE_CHUNK} bytes: /dev/null is not a regular
   * file) with one {@code write(2)} each, so the worker pays the real write path.
   */
  static void logToDevNull() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    Path devNull = Path.of("/dev/null");
    BatchingConsoleOutput file;
    try {
      file =
          BatchingConsoleOutput.to(
              new FileOutputStream(devNull.toFile(), true),
              BatchingConsoleOutput.chunkLimitOf(devNull));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PlimsollAsyncAppender async = new PlimsollAsyncAppender();
    async.setName(LogPipeline.ASYNC_APPENDER);
    async.setContext(context);
    pipeline().attachOutput(async, file);
    async.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
  }

  /** An access-log event as the request thread builds it, ready for the worker. */
  static LoggingEvent accessEvent(LoggerContext context) {
    Logger logger = context.getLogger(LogFields.ACCESS_LOGGER);
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.INFO,
            "{} {} {}",
            null,
            new Object[] {"GET", Bench.PATH, 200});
    event.setMDCPropertyMap(
        Map.of(
            LogFields.REQUEST_ID,
            "3f2a9c1e7b4d4e8a9f102c6d8e4b1a77",
            "trace_id",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "span_id",
            "00f067aa0ba902b7"));
    event.addKeyValuePair(new KeyValuePair(LogFields.HTTP_REQUEST_METHOD, "GET"));
    event.addKeyValuePair(new KeyValuePair(LogFields.HTTP_ROUTE, Bench.ROUTE));
    event.addKeyValuePair(new KeyValuePair(LogFields.URL_PATH, Bench.PATH));
    event.addKeyValuePair(new KeyValuePair(LogFields.HTTP_RESPONSE_STATUS_CODE, 200));
    event.addKeyValuePair(new KeyValuePair(LogFields.DURATION_MS, 1.235));
    event.addKeyValuePair(new KeyValuePair(LogFields.CLIENT_ADDRESS, "127.0.0.1"));
    event.addKeyValuePair(new KeyValuePair(LogFields.USER_AGENT, "wrk/4.1.0"));
    event.prepareForDeferredProcessing();
    return event;
  }
}
