package dev.plimsoll.ops.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import dev.plimsoll.ops.logging.PlimsollAsyncAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import net.logstash.logback.encoder.StreamingEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.KeyValuePair;

class BatchingConsoleOutputTest {

  /** A stream that keeps each call's bytes apart, to count the writes. */
  static class CountingStream extends OutputStream {
    final List<byte[]> writes = new ArrayList<>();

    @Override
    public synchronized void write(int b) {
      writes.add(new byte[] {(byte) b});
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      copy.write(bytes, offset, length);
      writes.add(copy.toByteArray());
    }

    synchronized List<String> chunks() {
      return writes.stream().map(w -> new String(w, StandardCharsets.UTF_8)).toList();
    }

    synchronized List<String> lines() {
      return String.join("", chunks()).lines().toList();
    }
  }

  private final LoggerContext context = context();
  private final CountingStream stream = new CountingStream();

  @Test
  void aBatchToAPipeIsWrittenInChunksOfWholeLinesEachWithinPipeBuf() {
    BatchingConsoleOutput output = output(BatchingConsoleOutput.PIPE_CHUNK);
    output.batchedBy(Thread.currentThread());
    List<String> logged = new ArrayList<>();
    int bytes = 0;
    int longest = 0;
    for (int i = 0; i < 1_000; i++) {
      String line = "event " + i + " " + "x".repeat(i % 150);
      logged.add(line);
      bytes += line.length() + 1;
      longest = Math.max(longest, line.length() + 1);
      output.doAppend(event(line));
      if (i == 9) {
        assertThat(stream.writes).as("nothing written while the chunk has room").isEmpty();
      }
    }

    output.endOfBatch();

    // A chunk is closed only when the next line does not fit, so each holds more than
    // PIPE_CHUNK - longest bytes.
    int most =
        (bytes + BatchingConsoleOutput.PIPE_CHUNK - longest - 1)
            / (BatchingConsoleOutput.PIPE_CHUNK - longest);
    assertThat(stream.writes).hasSizeLessThanOrEqualTo(most).hasSizeGreaterThan(1);
    assertThat(stream.chunks())
        .allSatisfy(
            chunk -> {
              assertThat(chunk.getBytes(StandardCharsets.UTF_8).length)
                  .isLessThanOrEqualTo(BatchingConsoleOutput.PIPE_CHUNK);
              assertThat(chunk).endsWith("\n");
            });
    assertThat(stream.lines()).isEqualTo(logged);
  }

  @Test
  void aBatchUnder64KiBToARegularFileIsOneWrite() {
    BatchingConsoleOutput output = output(BatchingConsoleOutput.FILE_CHUNK);
    output.batchedBy(Thread.currentThread());
    List<String> logged = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      logged.add("event " + i + " " + "y".repeat(80));
      output.doAppend(event(logged.get(i)));
    }

    output.endOfBatch();

    assertThat(stream.writes).hasSize(1);
    assertThat(stream.lines()).isEqualTo(logged);
  }

  @Test
  void aLineLongerThanAChunkIsWrittenAloneAndWhole() {
    BatchingConsoleOutput output = output(BatchingConsoleOutput.PIPE_CHUNK);
    output.batchedBy(Thread.currentThread());
    String longLine = "long " + "z".repeat(6_000);

    output.doAppend(event("before 1"));
    output.doAppend(event("before 2"));
    output.doAppend(event(longLine));
    output.doAppend(event("after"));
    output.endOfBatch();

    assertThat(stream.chunks()).containsExactly("before 1\nbefore 2\n", longLine + "\n", "after\n");
  }

  @Test
  void withoutTheAsynchronousWorkerEachEventIsWrittenAtOnce() throws Exception {
    BatchingConsoleOutput output = output(BatchingConsoleOutput.PIPE_CHUNK);
    output.batchedBy(new Thread(() -> {}));

    output.doAppend(event("one"));
    assertThat(stream.chunks()).containsExactly("one\n");
    Thread other = new Thread(() -> output.doAppend(event("two")));
    other.start();
    other.join();

    assertThat(stream.chunks()).containsExactly("one\n", "two\n");
  }

  @Test
  void stopWritesWhatIsHeldAndClosesTheStream() {
    AtomicInteger closed = new AtomicInteger();
    CountingStream closing =
        new CountingStream() {
          @Override
          public void close() {
            closed.incrementAndGet();
          }
        };
    BatchingConsoleOutput output = BatchingConsoleOutput.to(closing, 4096);
    start(output);
    output.batchedBy(Thread.currentThread());
    output.doAppend(event("held"));
    assertThat(closing.writes).isEmpty();

    output.stop();

    assertThat(closing.chunks()).containsExactly("held\n");
    assertThat(closed).hasValue(1);
  }

  @Test
  void aFailedWriteIsReportedOnceAndNeverThrown() {
    AtomicInteger attempts = new AtomicInteger();
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            attempts.incrementAndGet();
            throw new IOException("Broken pipe");
          }
        };
    BatchingConsoleOutput output = BatchingConsoleOutput.to(broken, 4096);
    start(output);

    assertThatCode(
            () -> {
              for (int i = 0; i < 5; i++) {
                output.doAppend(event("lost " + i));
              }
            })
        .doesNotThrowAnyException();

    assertThat(attempts).hasValue(5);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .filteredOn(status -> status.getLevel() == Status.ERROR)
        .singleElement()
        .satisfies(
            status -> assertThat(status.getMessage()).contains("failed").contains("Broken pipe"));
  }

  @Test
  void behindTheAsynchronousAppenderEveryQueuedEventIsWrittenOnStopInFewWrites() {
    PlimsollAsyncAppender async = new PlimsollAsyncAppender();
    async.setContext(context);
    async.setName(LogPipeline.ASYNC_APPENDER);
    async.setQueueSize(10_001);
    async.setDiscardingThreshold(0);
    async.setMaxFlushTime(60_000);
    // The worker waits on the first event until every event is queued, then takes full batches.
    CountDownLatch queued = new CountDownLatch(1);
    AppenderBase<ILoggingEvent> gate =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            try {
              queued.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    gate.setContext(context);
    gate.start();
    async.addAppender(gate);
    BatchingConsoleOutput output = output(BatchingConsoleOutput.PIPE_CHUNK);
    async.addAppender(output);
    async.start();
    Logger logger = context.getLogger("burst");
    logger.addAppender(async);
    List<String> logged = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      logged.add("burst " + i);
      logger.info(logged.get(i));
    }
    queued.countDown();

    context.stop(); // at once: the queue is still full

    assertThat(stream.lines()).isEqualTo(logged);
    // The first event's batch, then one write per batch of 256 (such short lines fit one chunk).
    assertThat(stream.writes).hasSizeLessThanOrEqualTo(1 + (10_000 + 255) / 256);
  }

  @Test
  void theWorkersJsonLinesAreTheEncodersLinesWholeAndInOrder() {
    // Plimsoll's JSON encoder streams each line into the worker's reused buffer: the bytes must be
    // those of encode(event), a line far longer than the buffer must not leave it stale for the
    // next, and a line whose encoding fails must leave nothing behind.
    LogPipeline pipeline = new LogPipeline();
    pipeline.setFormat(LogPipeline.JSON);
    pipeline.setServiceName("batching");
    Encoder<ILoggingEvent> json = pipeline.encoder(context);
    assertThat(json).isInstanceOf(StreamingEncoder.class);
    BatchingConsoleOutput output =
        BatchingConsoleOutput.to(stream, BatchingConsoleOutput.PIPE_CHUNK);
    start(output, json);
    output.batchedBy(Thread.currentThread());
    List<LoggingEvent> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String message =
          switch (i % 50) {
            case 7 -> "huge " + "h".repeat(200_000);
            case 8 -> "after huge " + i;
            case 20 -> "fails " + "f".repeat(20_000); // past the generator's buffer, then fails
            default -> "event \"" + i + "\" é " + "x".repeat(i % 120);
          };
      LoggingEvent event = event(message);
      if (i % 50 == 20) {
        event.addKeyValuePair(new KeyValuePair("unwritable", new Unwritable()));
      }
      events.add(event);
    }
    StringBuilder expected = new StringBuilder();
    int failed = 0;
    for (LoggingEvent event : events) {
      try {
        expected.append(new String(json.encode(event), StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        failed++; // fails mid-line in the output too: logback reports it, the event is dropped
      }
    }
    assertThat(failed).isEqualTo(6);

    for (LoggingEvent event : events) {
      output.doAppend(event);
    }
    output.endOfBatch();

    assertThat(String.join("", stream.chunks())).isEqualTo(expected.toString());
    assertThat(stream.lines()).hasSize(294).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    assertThat(stream.chunks()).allSatisfy(chunk -> assertThat(chunk).endsWith("\n"));
    json.stop();
  }

  @Test
  void aRegularFileTakesLargeChunksAndAnythingElseThePipeRule(@TempDir Path dir)
      throws IOException {
    Path file = Files.createFile(dir.resolve("out.log"));

    assertThat(BatchingConsoleOutput.chunkLimitOf(file))
        .isEqualTo(BatchingConsoleOutput.FILE_CHUNK);
    assertThat(BatchingConsoleOutput.chunkLimitOf(dir)).isEqualTo(BatchingConsoleOutput.PIPE_CHUNK);
    assertThat(BatchingConsoleOutput.chunkLimitOf(dir.resolve("missing")))
        .isEqualTo(BatchingConsoleOutput.PIPE_CHUNK);
    if (Files.exists(Path.of("/dev/null"))) {
      assertThat(BatchingConsoleOutput.chunkLimitOf(Path.of("/dev/null")))
          .isEqualTo(BatchingConsoleOutput.PIPE_CHUNK);
    }
  }

  /** A value whose serialization fails half-way through a line. */
  public static final class Unwritable {
    public String getValue() {
      throw new IllegalStateException("cannot be written");
    }
  }

  private BatchingConsoleOutput output(int chunkLimit) {
    BatchingConsoleOutput output = BatchingConsoleOutput.to(stream, chunkLimit);
    start(output);
    return output;
  }

  /** Starts {@code output} with an encoder writing each message alone on its line. */
  private void start(BatchingConsoleOutput output) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.setPattern("%msg%n");
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    start(output, encoder);
  }

  private void start(BatchingConsoleOutput output, Encoder<ILoggingEvent> encoder) {
    output.setContext(context);
    output.setName("test-output");
    output.setEncoder(encoder);
    output.start();
  }

  private LoggingEvent event(String message) {
    Logger logger = context.getLogger("batching");
    return new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, null, null);
  }

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }
}
