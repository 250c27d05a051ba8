package dev.plimsoll.ops.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one scrape on their way to the client: written through a fixed buffer, with the
 * number formatting of the Prometheus client's text writers, without a {@code Writer} or a string
 * per line. Not thread-safe: one per scrape.
 */
final class ScrapeOutput {

  private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LONG_MIN =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final byte[] buffer = new byte[32 * 1024];
  private int position;
  private final Segment segment = new Segment();

  ScrapeOutput(OutputStream out) {
    this.out = out;
  }

  void write(byte[] bytes) throws IOException {
    write(bytes, 0, bytes.length);
  }

  void write(byte[] bytes, int offset, int length) throws IOException {
    if (length > buffer.length - position) {
      flushBuffer();
      if (length > buffer.length) {
        out.write(bytes, offset, length);
        return;
      }
    }
    System.arraycopy(bytes, offset, buffer, position, length);
    position += length;
  }

  void write(char ascii) throws IOException {
    if (position == buffer.length) {
      flushBuffer();
    }
    buffer[position++] = (byte) ascii;
  }

  /** Writes {@code text}, which must be ASCII (numbers, as {@link Double#toString} makes them). */
  void writeAscii(String text) throws IOException {
    int length = text.length();
    if (length > buffer.length - position) {
      flushBuffer();
    }
    if (length > buffer.length) {
      write(text.getBytes(StandardCharsets.UTF_8));
      return;
    }
    for (int i = 0; i < length; i++) {
      buffer[position++] = (byte) text.charAt(i);
    }
  }

  /** A long as {@code TextFormatUtil.writeLong} writes it. */
  void writeLong(long value) throws IOException {
    if (value == Long.MIN_VALUE) {
      write(LONG_MIN);
      return;
    }
    if (buffer.length - position < 21) {
      flushBuffer();
    }
    boolean negative = value < 0;
    long rest = negative ? -value : value;
    int digits = 1;
    for (long v = rest / 10; v > 0; v /= 10) {
      digits++;
    }
    int end = position + digits + (negative ? 1 : 0);
    int at = end;
    do {
      buffer[--at] = (byte) ('0' + (rest % 10));
      rest /= 10;
    } while (rest > 0);
    if (negative) {
      buffer[--at] = '-';
    }
    position = end;
  }

  /** A double as {@code TextFormatUtil.writeDouble} writes it. */
  void writeDouble(double value) throws IOException {
    if (value == Double.POSITIVE_INFINITY) {
      writeAscii("+Inf");
    } else if (value == Double.NEGATIVE_INFINITY) {
      writeAscii("-Inf");
    } else {
      writeAscii(Double.toString(value));
    }
  }

  /** A timestamp as {@code TextFormatUtil.writeOpenMetricsTimestamp} writes it. */
  void writeOpenMetricsTimestamp(long timestampMillis) throws IOException {
    writeLong(timestampMillis / 1000L);
    write('.');
    long millis = timestampMillis % 1000;
    if (millis < 100) {
      write('0');
    }
    if (millis < 10) {
      write('0');
    }
    writeLong(millis);
  }

  /**
   * A stream for a writer of the Prometheus client; {@link #endSegment} moves what it wrote here.
   */
  OutputStream segment() {
    segment.reset();
    return segment;
  }

  /**
   * Moves what was written to {@link #segment()} here, without the {@code # EOF} line that ends an
   * OpenMetrics exposition when {@code dropEof} is set.
   *
   * @throws IOException if writing fails, or if the segment should end with {@code # EOF} and does
   *     not
   */
  void endSegment(boolean dropEof) throws IOException {
    int length = segment.size();
    if (dropEof) {
      if (!segment.endsWith(EOF)) {
        throw new IOException("An OpenMetrics segment did not end with # EOF");
      }
      length -= EOF.length;
    }
    write(segment.bytes(), 0, length);
  }

  /** Writes what is left in the buffer and flushes the stream. */
  void finish() throws IOException {
    flushBuffer();
    out.flush();
  }

  private void flushBuffer() throws IOException {
    if (position > 0) {
      out.write(buffer, 0, position);
      position = 0;
    }
  }

  /** Bytes written by a writer of the Prometheus client, readable in place. */
  private static final class Segment extends ByteArrayOutputStream {
    Segment() {
      super(8 * 1024);
    }

    byte[] bytes() {
      return buf;
    }

    boolean endsWith(byte[] suffix) {
      return count >= suffix.length
          && Arrays.equals(buf, count - suffix.length, count, suffix, 0, suffix.length);
    }
  }
}
