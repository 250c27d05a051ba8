package dev.plimsoll.ops.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.helpers.NOPAppender;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.logging.PlimsollAsyncAppender;
import dev.plimsoll.ops.logging.internal.AccessLog;
import dev.plimsoll.ops.logging.internal.LogCorrelation;
import dev.plimsoll.ops.logging.internal.LogPipeline;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.StreamingEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.LoggerFactory;

/**
 * The access log: {@code encodeToStream} is the JSON encoding the log writer does (into a buffer it
 * reuses), {@code encode} the same into a new array per event, as logback's appenders take it,
 * {@code encodeWithProviders} the array through logstash's providers, without the direct path;
 * {@code logAsync} is what the request thread pays with the asynchronous appender: building the
 * event and queueing it, or dropping it when the queue is full. With {@code output=devnull} the
 * appender's worker encodes to /dev/null and falls behind, so most events are dropped (cheaply);
 * with {@code output=nop} the worker writes nowhere, keeps up, and every event is queued: the
 * request thread's full cost. Micrometer's {@code LogbackMetrics} is bound, as in every service
 * with metrics on: its turbo filter sees every event (without it, the access log's path beside
 * turbo filters went unmeasured).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccessLogBenchmark {

  @Param({"devnull", "nop"})
  public String output;

  private static final RequestFacts REQUEST =
      RequestFacts.of("GET", "http", Bench.PATH, "localhost", 8080, "127.0.0.1", "wrk/4.1.0");

  private Encoder<ILoggingEvent> encoder;
  private Encoder<ILoggingEvent> providersEncoder;
  private StreamingEncoder<ILoggingEvent> streaming;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
  private LoggingEvent event;
  private AccessLog accessLog;
  private LogbackMetrics logbackMetrics;

  @Setup
  public void setUp() {
    Bench.logToDevNull();
    logbackMetrics = new LogbackMetrics();
    logbackMetrics.bindTo(new SimpleMeterRegistry());
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (output.equals("nop")) {
      var async =
          (PlimsollAsyncAppender)
              context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(LogPipeline.ASYNC_APPENDER);
      NOPAppender<ILoggingEvent> nop = new NOPAppender<>();
      nop.setContext(context);
      nop.start();
      async.addAppender(nop);
      async.detachAppender(LogPipeline.OUTPUT_APPENDER);
    }
    encoder = Bench.encoder(context);
    @SuppressWarnings("unchecked")
    StreamingEncoder<ILoggingEvent> asStreaming = (StreamingEncoder<ILoggingEvent>) encoder;
    streaming = asStreaming;
    providersEncoder = Bench.providersEncoder(context);
    event = Bench.accessEvent(context);
    accessLog = new AccessLog(true);
  }

  @TearDown
  public void tearDown() {
    logbackMetrics.close();
    encoder.stop();
    providersEncoder.stop();
  }

  @Benchmark
  public byte[] encode() {
    return encoder.encode(event);
  }

  /** What the log writer does: the line streamed into one buffer it reuses, no array per event. */
  @Benchmark
  public int encodeToStream() throws IOException {
    line.reset();
    streaming.encode(event, line);
    return line.size();
  }

  @Benchmark
  public byte[] encodeWithProviders() {
    return providersEncoder.encode(event);
  }

  @Benchmark
  public void logAsync(RequestThread thread) {
    accessLog.log(REQUEST, Bench.ROUTE, 200, 1_234_567);
  }

  /** The IDs a request thread has in its MDC while the access log is written. */
  @State(Scope.Thread)
  public static class RequestThread {
    @Setup
    public void setUp() {
      new LogCorrelation("trace_id", "span_id")
          .put(
              "3f2a9c1e7b4d4e8a9f102c6d8e4b1a77",
              "4bf92f3577b34da6a3ce929d0e0e4736",
              "00f067aa0ba902b7");
    }
  }
}
