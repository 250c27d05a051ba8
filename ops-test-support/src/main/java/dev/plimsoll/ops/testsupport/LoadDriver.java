package dev.plimsoll.ops.testsupport;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
  private static final String STATUS = ": status ";

  private final InetSocketAddress target;
  private final String path;
  private final boolean keepAlive;
  private final String idPrefix;
  private final long intervalNanos;
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
  private final ConcurrentMap<Integer, AtomicLong> statuses = new ConcurrentSkipListMap<>();

  private LoadDriver(Builder builder) {
    this.target = new InetSocketAddress("127.0.0.1", builder.port);
    this.path = builder.path;
    this.keepAlive = builder.keepAlive;
    this.idPrefix = builder.idPrefix;
    this.intervalNanos = builder.interval.toNanos();
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
        List.copyOf(failures),
        counts(statuses));
  }

  private static Map<Integer, Long> counts(Map<Integer, AtomicLong> counters) {
    Map<Integer, Long> counts = new TreeMap<>();
    counters.forEach((status, count) -> counts.put(status, count.get()));
    return Collections.unmodifiableMap(counts);
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
    long next = System.nanoTime();
    try {
      while (running.get()) {
        if (intervalNanos > 0) {
          next = Math.max(next + intervalNanos, System.nanoTime());
          if (!sleepUntil(next)) {
            break;
          }
        }
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
    } catch (SocketException e) {
      // Refused, or reset during the handshake (the listener closed with this connection still in
      // its backlog): no request was written either way, so a client retries elsewhere.
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
      statuses.computeIfAbsent(response.status(), s -> new AtomicLong()).incrementAndGet();
      if (response.status() >= 200 && response.status() < 300) {
        succeeded.incrementAndGet();
      } else {
        failures.add(id + STATUS + response.status() + " " + response.detail());
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

  private static boolean sleepUntil(long nanoTime) {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
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
   * @param refused connection attempts refused or reset before they were established (nothing was
   *     sent)
   * @param connectionsOpened connections the driver opened
   * @param closeAnswered responses that carried {@code Connection: close}
   * @param unanswered request IDs whose connection closed or reset before a single response byte
   * @param failures every other outcome: a non-2xx status (with the response's headers and the
   *     start of its body), an error once the response had begun, a timeout, each as a request ID
   *     (or {@code connect}) and its reason
   * @param statuses responses by HTTP status, 2xx included
   */
  public record Result(
      long sent,
      long succeeded,
      long refused,
      long connectionsOpened,
      long closeAnswered,
      List<String> unanswered,
      List<String> failures,
      Map<Integer, Long> statuses) {

    /**
     * The failures that are not an HTTP status: a connection that could not be opened, a response
     * that broke off or was not HTTP, a timeout; with {@link #unanswered} and {@link #refused}, the
     * requests a client saw fail without an answer.
     */
    public List<String> connectionFailures() {
      return failures.stream().filter(f -> !f.contains(STATUS)).toList();
    }

    /** Responses with a status from {@code from} to {@code to}, both included. */
    public long responses(int from, int to) {
      return statuses.entrySet().stream()
          .filter(e -> e.getKey() >= from && e.getKey() <= to)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    /**
     * What happened after {@code earlier}, a result of the same driver taken before this one: the
     * counts are differences, the lists hold what was added since.
     */
    public Result since(Result earlier) {
      Map<Integer, Long> newer = new TreeMap<>();
      statuses.forEach(
          (status, count) -> {
            long added = count - earlier.statuses.getOrDefault(status, 0L);
            if (added > 0) {
              newer.put(status, added);
            }
          });
      return new Result(
          sent - earlier.sent,
          succeeded - earlier.succeeded,
          refused - earlier.refused,
          connectionsOpened - earlier.connectionsOpened,
          closeAnswered - earlier.closeAnswered,
          List.copyOf(unanswered.subList(earlier.unanswered.size(), unanswered.size())),
          List.copyOf(failures.subList(earlier.failures.size(), failures.size())),
          Collections.unmodifiableMap(newer));
    }

    /** One line with every count, for the test output. */
    public String summary() {
      return String.format(
          Locale.ROOT,
          "sent=%d succeeded=%d failed=%d unanswered=%d refused=%d connections=%d"
              + " connection-close=%d statuses=%s",
          sent,
          succeeded,
          failures.size(),
          unanswered.size(),
          refused,
          connectionsOpened,
          closeAnswered,
          statuses);
    }
  }

  /** Settings of a driver. */
  public static final class Builder {
    private final int port;
    private final String path;
    private int concurrency = 4;
    private boolean keepAlive;
    private String idPrefix = "load-";
    private Duration interval = Duration.ZERO;

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

    /**
     * The least time between the starts of two requests of one thread, for a steady rate of about
     * {@code concurrency / interval}; none unless set (each thread sends as fast as it is
     * answered).
     */
    public Builder interval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("interval must not be negative: " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** Starts the client threads. */
    public LoadDriver start() {
      return new LoadDriver(this);
    }
  }

  /**
   * A response's status, whether the server closes the connection after it, and, for a status other
   * than 2xx, its headers and the start of its body: who answered (the server or the application)
   * and why.
   */
  private record Response(int status, boolean close, String detail) {

    private static final int DETAIL_BODY_BYTES = 400;

    static Response read(InputStream in) throws IOException {
      String statusLine = line(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      boolean close = parts[0].equals("HTTP/1.0");
      boolean keepDetail = status < 200 || status > 299;
      StringBuilder headers = new StringBuilder();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      long length = -1;
      boolean chunked = false;
      String header;
      while (!(header = line(in)).isEmpty()) {
        if (keepDetail) {
          headers.append(header).append("; ");
        }
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
          body(in, size, keepDetail ? body : null);
          line(in);
        }
        while (!line(in).isEmpty()) {
          // Trailers.
        }
      } else if (length >= 0) {
        body(in, length, keepDetail ? body : null);
      } else {
        body(in, Long.MAX_VALUE, keepDetail ? body : null);
        close = true;
      }
      return new Response(
          status,
          close,
          keepDetail ? "(" + headers + "body: " + body.toString(StandardCharsets.UTF_8) + ")" : "");
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

    /**
     * Reads {@code bytes} of body, or to the end of the connection for {@link Long#MAX_VALUE}, and
     * keeps the first {@link #DETAIL_BODY_BYTES} in {@code kept} unless it is null.
     */
    private static void body(InputStream in, long bytes, @Nullable ByteArrayOutputStream kept)
        throws IOException {
      for (long i = 0; i < bytes; i++) {
        int b = in.read();
        if (b < 0) {
          if (bytes == Long.MAX_VALUE) {
            return;
          }
          throw new EOFException("connection closed mid-body");
        }
        if (kept != null && kept.size() < DETAIL_BODY_BYTES) {
          kept.write(b);
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
