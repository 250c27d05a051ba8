package dev.plimsoll.ops.logging.internal;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import net.logstash.logback.encoder.StreamingEncoder;
import org.jspecify.annotations.Nullable;

/**
 * Plimsoll's standard output: the lines of a batch of events encoded into one buffer and written
 * with one call, so that one {@code write(2)} serves many events. Not API.
 *
 * <p>Standard output is {@code System.out}, looked up at each write, and written with one {@link
 * PrintStream#write(byte[], int, int)}: that call holds the stream's lock, so other Java writers of
 * {@code System.out} never land inside a chunk, and it reaches the file descriptor as one {@code
 * write(2)} (the JDK's {@code System.out} is a {@code PrintStream} over a 128-byte {@code
 * BufferedOutputStream} with auto-flush: a chunk at least that long is written straight through, a
 * shorter one copied and flushed at once).
 *
 * <p>A chunk holds whole lines (whole events: a text event with a stack trace is several lines) and
 * is written when the worker of the {@code PlimsollAsyncAppender} ends a batch, before a line that
 * would not fit, and on {@link #stop()}. Its size depends on what standard output is when the
 * output starts: a regular file takes chunks of up to {@value #FILE_CHUNK} bytes; anything else (a
 * pipe or FIFO, as container runtimes give, a terminal, a socket, or a kind that cannot be read)
 * takes chunks of up to {@value #PIPE_CHUNK} bytes, POSIX's {@code PIPE_BUF} on Linux, the most a
 * write to a pipe carries without being interleaved with other writers of that pipe. The kind is
 * read from {@code /proc/self/fd/1} (Linux), else {@code /dev/fd/1} or {@code /dev/stdout}
 * (following the link to what the descriptor is); if none can be read, the pipe rule applies. An
 * event longer than a chunk is written alone, whole, with one call.
 *
 * <p>On the worker, an encoder that can write to a stream (logstash's, so Plimsoll's JSON encoder)
 * writes each line into one buffer the worker reuses, which is then copied into the chunk: no array
 * per event. Other encoders, and other threads, take the encoder's {@code encode} array.
 *
 * <p>Events appended by a thread other than the worker that named itself with {@link #batchedBy}
 * (this output used without the asynchronous appender) are written at once. A failed write is
 * reported once, on logback's status and on standard error, and its lines are dropped; it is never
 * thrown to the caller.
 */
public final class BatchingConsoleOutput extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements BatchedAppender {

  /** The most bytes a write to a pipe carries atomically: {@code PIPE_BUF} on Linux. */
  public static final int PIPE_CHUNK = 4096;

  /** The most bytes written with one call when standard output is a regular file. */
  public static final int FILE_CHUNK = 64 * 1024;

  private static final List<String> STANDARD_OUTPUT_PATHS =
      List.of("/proc/self/fd/1", "/dev/fd/1", "/dev/stdout");

  private final ReentrantLock lock = new ReentrantLock();
  private final @Nullable OutputStream target;
  private int chunkLimit;
  private @Nullable Encoder<ILoggingEvent> encoder;
  private byte[] chunk = new byte[0];
  private int held;
  private volatile @Nullable Thread worker;
  // Only the worker touches it: the line being encoded, before it is copied into the chunk.
  private final LineBuffer line = new LineBuffer();
  private boolean failureReported;

  /** An output to standard output, its chunk size decided when it starts. */
  public BatchingConsoleOutput() {
    this(null, 0);
  }

  private BatchingConsoleOutput(@Nullable OutputStream target, int chunkLimit) {
    this.target = target;
    this.chunkLimit = chunkLimit;
  }

  /**
   * An output to {@code target} (which it closes when it stops) in chunks of at most {@code
   * chunkLimit} bytes: for benchmarks and tests.
   */
  public static BatchingConsoleOutput to(OutputStream target, int chunkLimit) {
    requireNonNull(target, "target");
    if (chunkLimit < 1) {
      throw new IllegalArgumentException("chunkLimit must be positive: " + chunkLimit);
    }
    return new BatchingConsoleOutput(target, chunkLimit);
  }

  /** Sets the encoder that turns each event into its line. */
  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = requireNonNull(encoder, "encoder");
  }

  /** The encoder, once set. */
  public @Nullable Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  /** The most bytes one write carries (a longer event is written alone); 0 before it starts. */
  public int chunkLimit() {
    return chunkLimit;
  }

  /**
   * The chunk size for standard output: {@value #FILE_CHUNK} bytes if it is a regular file, else
   * {@value #PIPE_CHUNK}.
   */
  public static int chunkLimitOfStandardOutput() {
    for (String path : STANDARD_OUTPUT_PATHS) {
      try {
        return chunkLimitOf(Files.readAttributes(Path.of(path), BasicFileAttributes.class));
      } catch (IOException | RuntimeException e) {
        // Not on this system, or not readable: try the next name, then take the pipe rule.
      }
    }
    return PIPE_CHUNK;
  }

  /** The chunk size for the file at {@code path}, by the same rule as for standard output. */
  public static int chunkLimitOf(Path path) {
    try {
      return chunkLimitOf(Files.readAttributes(path, BasicFileAttributes.class));
    } catch (IOException | RuntimeException e) {
      return PIPE_CHUNK;
    }
  }

  private static int chunkLimitOf(BasicFileAttributes attributes) {
    return attributes.isRegularFile() ? FILE_CHUNK : PIPE_CHUNK;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    Encoder<ILoggingEvent> chosen = encoder;
    if (chosen == null) {
      addError("No encoder set for the appender named \"" + name + "\".");
      return;
    }
    if (chunkLimit == 0) {
      chunkLimit = chunkLimitOfStandardOutput();
    }
    chunk = new byte[chunkLimit];
    byte[] header = chosen.headerBytes();
    if (header != null && header.length > 0) {
      write(header, 0, header.length);
    }
    super.start();
  }

  @Override
  public void batchedBy(Thread worker) {
    this.worker = requireNonNull(worker, "worker");
  }

  @Override
  protected void append(ILoggingEvent event) {
    Encoder<ILoggingEvent> chosen = encoder;
    if (chosen == null) {
      return;
    }
    // Encoded outside the lock, as logback's OutputStreamAppender does: the lock guards the chunk.
    boolean batched = Thread.currentThread() == worker;
    if (batched && chosen instanceof StreamingEncoder<?>) {
      @SuppressWarnings("unchecked")
      StreamingEncoder<ILoggingEvent> streaming = (StreamingEncoder<ILoggingEvent>) chosen;
      line.reset();
      try {
        streaming.encode(event, line);
      } catch (IOException e) {
        // As logstash's encode(event) does: the event is reported and dropped, the next goes on.
        addWarn("Error encountered while encoding log event. Event: " + event, e);
        return;
      }
      hold(line.bytes(), line.size(), true);
      return;
    }
    byte[] bytes = chosen.encode(event);
    if (bytes != null) {
      hold(bytes, bytes.length, batched);
    }
  }

  /** Adds a line to the chunk, or writes it at once when it is not batched or does not fit. */
  private void hold(byte[] bytes, int length, boolean batched) {
    if (length == 0) {
      return;
    }
    lock.lock();
    try {
      if (!batched || length > chunkLimit) {
        writeHeld();
        write(bytes, 0, length);
        return;
      }
      if (held + length > chunkLimit) {
        writeHeld();
      }
      System.arraycopy(bytes, 0, chunk, held, length);
      held += length;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void endOfBatch() {
    lock.lock();
    try {
      writeHeld();
    } finally {
      lock.unlock();
    }
  }

  /** Writes what is held and the encoder's footer, then closes a target it was given. */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    lock.lock();
    try {
      writeHeld();
      Encoder<ILoggingEvent> chosen = encoder;
      byte[] footer = chosen == null ? null : chosen.footerBytes();
      if (footer != null && footer.length > 0) {
        write(footer, 0, footer.length);
      }
      super.stop();
      if (target != null) {
        try {
          target.close();
        } catch (IOException e) {
          addWarn("Could not close the log output", e);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void writeHeld() {
    if (held > 0) {
      int length = held;
      held = 0;
      write(chunk, 0, length);
    }
  }

  private void write(byte[] bytes, int offset, int length) {
    OutputStream out = target != null ? target : System.out;
    try {
      out.write(bytes, offset, length);
      // A PrintStream (System.out) keeps its IOException to itself and only says it failed.
      if (out instanceof PrintStream printStream && printStream.checkError()) {
        reportFailure(null);
      }
    } catch (IOException | RuntimeException e) {
      reportFailure(e);
    }
  }

  /**
   * The worker's line: a growable buffer read in place, unsynchronized (one thread uses it). A
   * buffer grown past {@value #KEPT} bytes by a long event is let go at the next line.
   */
  private static final class LineBuffer extends OutputStream {
    private static final int INITIAL = 1024;
    private static final int KEPT = 64 * 1024;

    private byte[] buf = new byte[INITIAL];
    private int count;

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      ensure(length);
      System.arraycopy(bytes, offset, buf, count, length);
      count += length;
    }

    private void ensure(int more) {
      if (more > buf.length - count) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }

    void reset() {
      count = 0;
      if (buf.length > KEPT) {
        buf = new byte[INITIAL];
      }
    }

    int size() {
      return count;
    }

    byte[] bytes() {
      return buf;
    }
  }

  private void reportFailure(@Nullable Exception cause) {
    if (failureReported) {
      return;
    }
    failureReported = true;
    String message =
        "plimsoll: writing the log to "
            + (target != null ? "its output" : "standard output")
            + " failed"
            + (cause == null ? "" : ": " + cause)
            + "; lines that cannot be written are dropped (reported once)";
    addError(message, cause);
    System.err.println(message);
  }
}
