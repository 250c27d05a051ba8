package dev.plimsoll.ops.logging.internal;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.plimsoll.ops.logging.LogFields;
import dev.plimsoll.ops.logging.PlimsollAsyncAppender;
import dev.plimsoll.ops.logging.PlimsollJsonEncoder;
import org.jspecify.annotations.Nullable;

/**
 * Plimsoll's log pipeline, defined here once: an encoder (JSON, or readable text with the request
 * and trace IDs) feeding an output (standard output written in batches, {@link
 * BatchingConsoleOutput}, for services; anything else for benchmarks) behind a {@link
 * PlimsollAsyncAppender}. {@code PlimsollConsoleAppender} builds itself from it, so the code path
 * ({@link LogbackSetup}), the XML files that name that appender and the benchmarks all log through
 * the same pipeline. Values left unset are read from the {@code OPS_*} settings when the pipeline
 * is built. Not API.
 */
public final class LogPipeline {

  /** The name of the asynchronous appender on the root logger. */
  public static final String ASYNC_APPENDER = "PLIMSOLL_ASYNC";

  /** The name of the appender that writes, attached to the asynchronous one. */
  public static final String OUTPUT_APPENDER = "PLIMSOLL_CONSOLE";

  /** Events the asynchronous appender holds before it starts dropping. */
  public static final int QUEUE_SIZE = 8192;

  /** The {@code ops.log.format} value for one JSON object per line. */
  public static final String JSON = "json";

  /** The {@code ops.log.format} value for readable lines. */
  public static final String TEXT = "text";

  private @Nullable String format;
  private @Nullable String serviceName;
  private @Nullable String serviceVersion;
  private @Nullable String environment;
  private @Nullable String traceIdField;

  /** A pipeline with every value still to be read from the {@code OPS_*} settings. */
  public LogPipeline() {}

  /** Sets the format: {@value #JSON} or {@value #TEXT}. */
  public void setFormat(String format) {
    this.format = requireNonNull(format, "format");
  }

  /** Sets the {@code service.name} field of JSON lines. */
  public void setServiceName(String serviceName) {
    this.serviceName = requireNonNull(serviceName, "serviceName");
  }

  /** Sets the {@code service.version} field of JSON lines. */
  public void setServiceVersion(String serviceVersion) {
    this.serviceVersion = requireNonNull(serviceVersion, "serviceVersion");
  }

  /** Sets the {@code deployment.environment} field of JSON lines. */
  public void setEnvironment(String environment) {
    this.environment = requireNonNull(environment, "environment");
  }

  /** Sets the MDC key whose trace ID text lines show. */
  public void setTraceIdField(String traceIdField) {
    this.traceIdField = requireNonNull(traceIdField, "traceIdField");
  }

  /**
   * Attaches {@code output}, named {@value #OUTPUT_APPENDER} and writing through this pipeline's
   * encoder, started, to {@code async}, which the caller names and starts: the worker of {@code
   * async} writes each batch of lines with one call.
   */
  public void attachOutput(PlimsollAsyncAppender async, BatchingConsoleOutput output) {
    Context context = requireNonNull(async.getContext(), "the appender's context");
    output.setName(OUTPUT_APPENDER);
    output.setContext(context);
    output.setEncoder(encoder(context));
    output.start();
    async.addAppender(output);
  }

  /** This pipeline's encoder, started in {@code context}, which also gets its warnings. */
  public Encoder<ILoggingEvent> encoder(Context context) {
    ContextAwareBase reporter = new ContextAwareBase();
    reporter.setContext(context);
    String chosen = format;
    if (chosen == null) {
      chosen = JSON;
    } else if (!chosen.equals(JSON) && !chosen.equals(TEXT)) {
      reporter.addWarn("Unknown log format [" + chosen + "]; writing JSON");
      chosen = JSON;
    }
    Encoder<ILoggingEvent> encoder;
    if (chosen.equals(TEXT)) {
      String field = traceIdField;
      if (field == null) {
        field = LogbackSetup.settingsOrDefaults(reporter).traceIdField();
      }
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(textPattern(field));
      encoder = text;
    } else {
      // The encoder reads what is left unset from the settings itself.
      PlimsollJsonEncoder json = new PlimsollJsonEncoder();
      if (serviceName != null) {
        json.setServiceName(serviceName);
      }
      if (serviceVersion != null) {
        json.setServiceVersion(serviceVersion);
      }
      if (environment != null) {
        json.setEnvironment(environment);
      }
      encoder = json;
    }
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  /** The text layout: time, level, thread, logger, trace and request IDs, message, key-values. */
  static String textPattern(String traceIdField) {
    return "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} [trace=%X{"
        + traceIdField
        + ":--} request=%X{"
        + LogFields.REQUEST_ID
        + ":--}] %msg %kvp%n";
  }
}
