package dev.plimsoll.ops.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.plimsoll.ops.logging.internal.BatchingConsoleOutput;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The log worker's cost per access-log event: encoding it as a JSON line and writing it to {@code
 * /dev/null}, in batches of 256 as the asynchronous appender's worker hands them over. {@code
 * perEvent} is logback's {@code OutputStreamAppender}, which writes and flushes each line (one
 * {@code write(2)} per event, as logback's {@code ConsoleAppender} does); {@code batched} is
 * Plimsoll's output, which writes a batch in chunks of whole lines (4,096 bytes here: /dev/null is
 * not a regular file). Time and allocation are per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(LogOutputBenchmark.BATCH)
public class LogOutputBenchmark {

  static final int BATCH = 256;

  @Param({"perEvent", "batched"})
  public String output;

  private Appender<ILoggingEvent> appender;
  private @Nullable BatchingConsoleOutput batched;
  private LoggingEvent event;

  @Setup
  public void setUp() throws FileNotFoundException {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    Path devNull = Path.of("/dev/null");
    FileOutputStream stream = new FileOutputStream(devNull.toFile(), true);
    if (output.equals("batched")) {
      BatchingConsoleOutput out =
          BatchingConsoleOutput.to(stream, BatchingConsoleOutput.chunkLimitOf(devNull));
      out.setEncoder(Bench.encoder(context));
      // The benchmark's thread is the worker: its events wait for the end of the batch.
      out.batchedBy(Thread.currentThread());
      batched = out;
      appender = out;
    } else {
      OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();
      out.setEncoder(Bench.encoder(context));
      out.setOutputStream(stream);
      appender = out;
    }
    appender.setContext(context);
    appender.setName("bench-output");
    appender.start();
    event = Bench.accessEvent(context);
  }

  @TearDown
  public void tearDown() {
    appender.stop();
  }

  @Benchmark
  public void writeBatch() {
    for (int i = 0; i < BATCH; i++) {
      appender.doAppend(event);
    }
    if (batched != null) {
      batched.endOfBatch();
    }
  }
}
