package dev.plimsoll.ops.testsupport;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Steady HTTP/1.1 load on one loopback path from a fixed number of client threads, over raw sockets
 * so that every way a request can end is seen and told apart: answered (by status), refused before
 * any connection was made, closed or reset before a single response byte, or failed after the
 * response began. Each request carries a unique {@code X-Request-ID}, so a test can check on the
 * server's side which of the unanswered ones it ever saw.
 *
 * <p>With {@link Builder#keepAlive(boolean) keep-alive} each thread reuses its connection until the
 * server answers {@code Connection: close}, then opens a new one, as a pooling client does; without
 * it every request asks for {@code Connection: close} and uses a connection of its own.
 */
public final class LoadDriver implements AutoCloseable {

  private static final int READ_TIMEOUT_MILLIS = 30_000;
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final long REFUSED_PAUSE_MILLIS = 20;

  private final InetSocketAddress target;
  private final String path;
  private final boolean keepAlive;
  private final String idPrefix;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong connectionsOpened = new AtomicLong();
  private final AtomicLong closeAnswered = new AtomicLong();
  private final List<String> unanswered = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  private LoadDriver(Builder builder) {
    this.target = new InetSocketAddress("127.0.0.1", builder.port);
    this.path = builder.path;
    this.keepAlive = builder.keepAlive;
    this.idPrefix = builder.idPrefix;
    for (int i = 0; i < builder.concurrency; i++) {
      Thread worker = new Thread(this::run, "load-driver-" + i);
      worker.setDaemon(true);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
  }

  /** A driver of {@code GET path} on {@code 127.0.0.1:port}. */
  public static Builder builder(int port, String path) {
    return new Builder(port, path);
  }

  /** What has happened so far. */
  public Result result() {
    return new Result(
        sent.get(),
        succeeded.get(),
        refused.get(),
        connectionsOpened.get(),
        closeAnswered.get(),
        List.copyOf(unanswered),
        List.copyOf(failures));
  }

  /**
   * Stops sending, waits up to {@code timeout} for the requests under way, and returns the result.
   */
  public Result stop(Duration timeout) {
    running.set(false);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread worker : workers) {
      try {
        worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return result();
  }

  @Override
  public void close() {
    running.set(false);
    workers.forEach(Thread::interrupt);
  }

  private void run() {
    @Nullable Connection connection = null;
    try {
      while (running.get()) {
        if (connection == null) {
          connection = connect();
          if (connection == null) {
            pause();
            continue;
          }
        }
        sent.incrementAndGet();
        Outcome outcome = exchange(connection, idPrefix + sequence.incrementAndGet());
        if (outcome == Outcome.KEEP) {
          continue;
        }
        closeQuietly(connection.socket);
        connection = null;
      }
    } finally {
      if (connection != null) {
        closeQuietly(connection.socket);
      }
    }
  }

  private @Nullable Connection connect() {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.connect(target, CONNECT_TIMEOUT_MILLIS);
      connectionsOpened.incrementAndGet();
      return new Connection(
          socket, socket.getOutputStream(), new CountingInput(socket.getInputStream()));
    } catch (ConnectException e) {
      refused.incrementAndGet();
    } catch (IOException e) {
      failures.add("connect: " + e);
    }
    closeQuietly(socket);
    return null;
  }

  private enum Outcome {
    KEEP,
    CLOSE
  }

  /** One request and its response on {@code connection}; whether it may be reused. */
  private Outcome exchange(Connection connection, String id) {
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + target.getPort()
            + "\r\nX-Request-ID: "
            + id
            + "\r\n"
            + (keepAlive ? "" : "Connection: close\r\n")
            + "\r\n";
    CountingInput in = connection.in;
    in.count = 0;
    try {
      connection.out.write(request.getBytes(StandardCharsets.US_ASCII));
      connection.out.flush();
    } catch (IOException e) {
      unanswered.add(id);
      return Outcome.CLOSE;
    }
    try {
      Response response = Response.read(in);
      if (response.status() >= 200 && response.status() < 300) {
        succeeded.incrementAndGet();
      } else {
        failures.add(id + ": status " + response.status());
      }
      if (response.close()) {
        closeAnswered.incrementAndGet();
        return Outcome.CLOSE;
      }
      return keepAlive ? Outcome.KEEP : Outcome.CLOSE;
    } catch (IOException e) {
      if (in.count == 0) {
        unanswered.add(id);
      } else {
        failures.add(id + ": " + e + " after " + in.count + " response bytes");
      }
      return Outcome.CLOSE;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(REFUSED_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Gone either way.
    }
  }

  /**
   * What the driver saw.
   *
   * @param sent requests written to a connection
   * @param succeeded answered with a 2xx status
   * @param refused connection attempts refused (nothing was sent)
   * @param connectionsOpened connections the driver opened
   * @param closeAnswered responses that carried {@code Connection: close}
   * @param unanswered request IDs whose connection closed or reset before a single response byte
   * @param failures every other outcome: a non-2xx status, an error once the response had begun, a
   *     timeout
   */
  public record Result(
      long sent,
      long succeeded,
      long refused,
      long connectionsOpened,
      long closeAnswered,
      List<String> unanswered,
      List<String> failures) {

    /** One line with every count, for the test output. */
    public String summary() {
      return String.format(
          Locale.ROOT,
          "sent=%d succeeded=%d failed=%d unanswered=%d refused=%d connections=%d"
              + " connection-close=%d",
          sent,
          succeeded,
          failures.size(),
          unanswered.size(),
          refused,
          connectionsOpened,
          closeAnswered);
    }
  }

  /** Settings of a driver. */
  public static final class Builder {
    private final int port;
    private final String path;
    private int concurrency = 4;
    private boolean keepAlive;
    private String idPrefix = "load-";

    private Builder(int port, String path) {
      this.port = port;
      this.path = requireNonNull(path, "path");
    }

    /** Client threads, each with one request under way at a time; 4 unless set. */
    public Builder concurrency(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1: " + threads);
      }
      this.concurrency = threads;
      return this;
    }

    /** Reuse connections until the server answers {@code Connection: close}; off unless set. */
    public Builder keepAlive(boolean keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    /** The start of every {@code X-Request-ID}, followed by a sequence number. */
    public Builder requestIdPrefix(String prefix) {
      this.idPrefix = requireNonNull(prefix, "prefix");
      return this;
    }

    /** Starts the client threads. */
    public LoadDriver start() {
      return new LoadDriver(this);
    }
  }

  /** A response's status and whether the server closes the connection after it. */
  private record Response(int status, boolean close) {

    static Response read(InputStream in) throws IOException {
      String statusLine = line(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      boolean close = parts[0].equals("HTTP/1.0");
      long length = -1;
      boolean chunked = false;
      String header;
      while (!(header = line(in)).isEmpty()) {
        int colon = header.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.contains("chunked");
          case "connection" -> close = value.contains("close");
          default -> {}
        }
      }
      if (chunked) {
        long size;
        while ((size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16)) > 0) {
          skip(in, size);
          line(in);
        }
        while (!line(in).isEmpty()) {
          // Trailers.
        }
      } else if (length >= 0) {
        skip(in, length);
      } else {
        while (in.read() >= 0) {
          // The body runs to the end of the connection.
        }
        close = true;
      }
      return new Response(status, close);
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new EOFException("connection closed mid-response");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void skip(InputStream in, long bytes) throws IOException {
      for (long i = 0; i < bytes; i++) {
        if (in.read() < 0) {
          throw new EOFException("connection closed mid-body");
        }
      }
    }
  }

  /** A connection and its streams, kept while the server lets it be reused. */
  private record Connection(Socket socket, OutputStream out, CountingInput in) {}

  /** Counts the bytes read, to tell "nothing came back" from "the response broke off". */
  private static final class CountingInput extends BufferedInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in, 8192);
    }

    @Override
    public synchronized int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }
  }
}
