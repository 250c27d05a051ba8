package dev.plimsoll.ops.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * Captures what an encoder writes for every event on the root logger, synchronously, so tests read
 * the exact lines a service would print. Close it to detach.
 */
public final class LogCapture implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final Logger root;

  private LogCapture(Encoder<ILoggingEvent> encoder) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    encoder.setContext(context);
    encoder.start();
    appender.setContext(context);
    appender.setName("test-capture-" + System.identityHashCode(this));
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    appender.setOutputStream(out);
    appender.start();
    root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
  }

  /** Starts capturing with {@code encoder}. */
  public static LogCapture attach(Encoder<ILoggingEvent> encoder) {
    return new LogCapture(encoder);
  }

  /** Every line written so far, raw. */
  public List<String> lines() {
    String text;
    synchronized (out) {
      text = out.toString(StandardCharsets.UTF_8);
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * Every line parsed as one JSON object.
   *
   * @throws AssertionError if a line is not exactly one JSON object
   */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> json() {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String line : lines()) {
      try {
        objects.add(JSON.readValue(line, Map.class));
      } catch (RuntimeException e) {
        throw new AssertionError("Not a single JSON object: " + line, e);
      }
    }
    return objects;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
