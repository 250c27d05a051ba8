package dev.plimsoll.ops.logging;

import dev.plimsoll.ops.logging.internal.BatchingConsoleOutput;
import dev.plimsoll.ops.logging.internal.LogPipeline;

/**
 * Plimsoll's log output as one appender: one JSON object per line (or readable text) on standard
 * output, written by the worker of a {@link PlimsollAsyncAppender}, so logging never blocks the
 * caller. It is what Plimsoll configures when the application has no logback.xml, and what a
 * logback.xml names to get the same output:
 *
 * <pre>{@code
 * <appender name="PLIMSOLL_JSON" class="dev.plimsoll.ops.logging.PlimsollConsoleAppender"/>
 * <root level="INFO"><appender-ref ref="PLIMSOLL_JSON"/></root>
 * }</pre>
 *
 * <p>The format is JSON unless set to {@code text}; service name, version, environment and the
 * trace ID field, when not set, come from the {@code OPS_*} settings.
 *
 * <p>The worker writes the lines of each batch together, with one call on {@code System.out} (one
 * {@code write(2)}) per chunk of whole lines: up to 4,096 bytes when standard output is a pipe (as
 * container runtimes give; a write that size is never interleaved with other writers of the pipe),
 * up to 64 KiB when it is a regular file. Lines are never split or reordered, other writers of
 * {@code System.out} never land inside one, and {@link #stop()} writes every line still queued.
 */
public final class PlimsollConsoleAppender extends PlimsollAsyncAppender {

  private final LogPipeline pipeline = new LogPipeline();

  /** Creates the appender; it writes JSON lines unless told otherwise. */
  public PlimsollConsoleAppender() {}

  /** Sets the format: {@code json} (the default) or {@code text}. */
  public void setFormat(String format) {
    pipeline.setFormat(format);
  }

  /** Sets the {@code service.name} field. */
  public void setServiceName(String serviceName) {
    pipeline.setServiceName(serviceName);
  }

  /** Sets the {@code service.version} field. */
  public void setServiceVersion(String serviceVersion) {
    pipeline.setServiceVersion(serviceVersion);
  }

  /** Sets the {@code deployment.environment} field. */
  public void setEnvironment(String environment) {
    pipeline.setEnvironment(environment);
  }

  /** Sets the MDC key of the trace ID that text lines show ({@code trace_id} by default). */
  public void setTraceIdField(String traceIdField) {
    pipeline.setTraceIdField(traceIdField);
  }

  /** Attaches the console output, then starts the worker. */
  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (getAppender(LogPipeline.OUTPUT_APPENDER) == null) {
      pipeline.attachOutput(this, new BatchingConsoleOutput());
    }
    super.start();
  }
}
