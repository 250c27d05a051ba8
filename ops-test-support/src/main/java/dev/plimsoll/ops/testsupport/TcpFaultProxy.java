package dev.plimsoll.ops.testsupport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on a loopback port in front of one target, which a test can make refuse connections
 * ({@link #cut()}), hang ({@link #stall()}), answer late ({@link #delay(Duration)}) or come and go
 * ({@link #flap(Duration, Duration)}) and then {@link #heal()}, to see how a client such as a
 * connection pool, and the health checks above it, behave when the peer fails. Each connection uses
 * two daemon threads; {@link #close()} closes every socket and ends every thread. Thread-safe.
 */
public final class TcpFaultProxy implements AutoCloseable {

  private static final int BUFFER = 8192;
  private static final int CONNECT_TIMEOUT_MILLIS = 2000;
  private static final long JOIN_MILLIS = 2000;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private enum Mode {
    FORWARDING,
    CUT,
    STALLED
  }

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final String name;
  private final Thread acceptor;
  private final AtomicInteger accepted = new AtomicInteger();
  private final Object lock = new Object();
  // Guarded by lock.
  private final Set<Link> links = new HashSet<>();
  private Mode mode = Mode.FORWARDING;
  private long delayNanos;
  private @Nullable Thread flapper;
  private boolean closed;

  private TcpFaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.name = "tcp-fault-proxy-" + INSTANCES.incrementAndGet();
    this.acceptor = daemon(name + "-accept", this::acceptLoop);
    acceptor.start();
  }

  /**
   * Starts forwarding a free loopback port to {@code target}.
   *
   * @throws UncheckedIOException if no port can be bound
   */
  public static TcpFaultProxy start(InetSocketAddress target) {
    requireNonNull(target, "target");
    try {
      return new TcpFaultProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts forwarding a free loopback port to {@code host:port}. */
  public static TcpFaultProxy start(String host, int port) {
    return start(new InetSocketAddress(requireNonNull(host, "host"), port));
  }

  /** The loopback port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** The target the proxy forwards to. */
  public InetSocketAddress target() {
    return target;
  }

  /**
   * The peer stops accepting connections: every open connection is reset on both sides, and each
   * new one is reset as soon as it is accepted. Clients see their TCP connect succeed (the kernel
   * completes the handshake) and then "connection reset" or end of stream on their first read, as
   * when a server process dies while its host stays up.
   */
  public void cut() {
    synchronized (lock) {
      stopFlapping();
      mode = Mode.CUT;
      resetAll();
    }
  }

  /**
   * The peer hangs: no byte is forwarded in either direction, on open connections and on new ones
   * (which are accepted and connected to the target, then stall too). Clients block on their reads
   * until their own timeouts; bytes sent meanwhile are held back, not delivered.
   */
  public void stall() {
    synchronized (lock) {
      stopFlapping();
      mode = Mode.STALLED;
    }
  }

  /**
   * Forwards normally again. After a {@link #stall()}, every connection open during the stall is
   * reset (its held bytes dropped), so clients blocked on a read fail at once and reconnect, as
   * when a hung server is restarted; new connections are forwarded. After a {@link #cut()}, new
   * connections are forwarded. A {@link #delay(Duration) delay} ends, and so does {@link
   * #flap(Duration, Duration) flapping}.
   */
  public void heal() {
    synchronized (lock) {
      stopFlapping();
      if (mode == Mode.STALLED) {
        resetAll();
      }
      mode = Mode.FORWARDING;
      delayNanos = 0;
      lock.notifyAll();
    }
  }

  /**
   * The peer answers late: every chunk of bytes, each way, is forwarded {@code delay} after it
   * arrived, on open connections and new ones, so one request-response round trip takes twice
   * {@code delay} longer. {@link Duration#ZERO} or {@link #heal()} ends it.
   */
  public void delay(Duration delay) {
    requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    synchronized (lock) {
      delayNanos = delay.toNanos();
      lock.notifyAll();
    }
  }

  /**
   * The peer comes and goes: forwarding for {@code up}, then {@link #cut() cut} for {@code down},
   * and again, from a thread of its own, until {@link #heal()}, {@link #cut()}, {@link #stall()} or
   * {@link #close()}.
   */
  public void flap(Duration up, Duration down) {
    requireNonNull(up, "up");
    requireNonNull(down, "down");
    synchronized (lock) {
      stopFlapping();
      mode = Mode.FORWARDING;
      lock.notifyAll();
      Thread thread = daemon(name + "-flap", () -> flapLoop(up, down));
      flapper = thread;
      thread.start();
    }
  }

  private void flapLoop(Duration up, Duration down) {
    try {
      while (true) {
        Thread.sleep(up.toMillis());
        synchronized (lock) {
          if (flapper != Thread.currentThread()) {
            return;
          }
          mode = Mode.CUT;
          resetAll();
        }
        Thread.sleep(down.toMillis());
        synchronized (lock) {
          if (flapper != Thread.currentThread()) {
            return;
          }
          mode = Mode.FORWARDING;
          lock.notifyAll();
        }
      }
    } catch (InterruptedException e) {
      // Flapping stopped.
    }
  }

  /** Ends flapping; the caller holds the lock. */
  private void stopFlapping() {
    Thread thread = flapper;
    if (thread != null) {
      flapper = null;
      thread.interrupt();
    }
  }

  /** How many connections the proxy has accepted since it started, including those it reset. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** How many connections are open through the proxy now. */
  public int openConnections() {
    synchronized (lock) {
      return links.size();
    }
  }

  /** Stops listening, resets every connection and waits briefly for its threads to end. */
  @Override
  public void close() {
    List<Link> open;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopFlapping();
      open = new ArrayList<>(links);
      resetAll();
      lock.notifyAll();
    }
    closeQuietly(server);
    join(acceptor);
    for (Link link : open) {
      join(link.upstreamPump);
      join(link.downstreamPump);
    }
  }

  @Override
  public String toString() {
    return name + " 127.0.0.1:" + port() + " -> " + target;
  }

  private void acceptLoop() {
    while (true) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      synchronized (lock) {
        if (closed || mode == Mode.CUT) {
          reset(client);
          continue;
        }
      }
      open(client);
    }
  }

  private void open(Socket client) {
    Socket upstream = new Socket();
    try {
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      reset(client);
      closeQuietly(upstream);
      return;
    }
    Link link = new Link(client, upstream);
    synchronized (lock) {
      // A cut or close may have come while connecting.
      if (closed || mode == Mode.CUT) {
        link.reset();
        return;
      }
      links.add(link);
    }
    link.upstreamPump.start();
    link.downstreamPump.start();
  }

  /** Resets every open connection; the caller holds the lock. */
  private void resetAll() {
    for (Link link : links) {
      link.reset();
    }
    links.clear();
    lock.notifyAll();
  }

  /**
   * Waits while the proxy is stalled, and until bytes that arrived at {@code arrived} (in {@link
   * System#nanoTime()}) have been held back for the delay; false when {@code link} was reset
   * meanwhile, so the bytes in hand must be dropped.
   */
  private boolean awaitForwarding(Link link, long arrived) throws InterruptedException {
    synchronized (lock) {
      while (!link.reset && !closed) {
        if (mode == Mode.STALLED) {
          lock.wait();
          continue;
        }
        long wait = arrived + delayNanos - System.nanoTime();
        if (wait <= 0) {
          break;
        }
        lock.wait(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      return !link.reset && !closed;
    }
  }

  private static Thread daemon(String threadName, Runnable body) {
    Thread thread = new Thread(body, threadName);
    thread.setDaemon(true);
    return thread;
  }

  private static void reset(Socket socket) {
    try {
      // Linger 0: close sends RST rather than FIN, as a crashed peer would.
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // Already closed.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Nothing to do: the socket is gone either way.
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One proxied connection: the client's socket, the target's, and a pump each way. */
  private final class Link {
    final Socket client;
    final Socket upstream;
    final Thread upstreamPump;
    final Thread downstreamPump;
    // Guarded by lock.
    boolean reset;
    private int pumpsEnded;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
      String id = name + "-" + client.getPort();
      this.upstreamPump = daemon(id + "-up", () -> pump(client, upstream));
      this.downstreamPump = daemon(id + "-down", () -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
      boolean ended = false;
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (!awaitForwarding(this, System.nanoTime())) {
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
        // End of stream: pass the half-close on; the other direction may still carry bytes.
        to.shutdownOutput();
        ended = true;
      } catch (IOException e) {
        // A socket was closed or reset: the connection is over.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        finished(ended);
      }
    }

    private void finished(boolean ended) {
      synchronized (lock) {
        if (ended && ++pumpsEnded < 2) {
          return;
        }
        links.remove(this);
        if (ended) {
          closeQuietly(client);
          closeQuietly(upstream);
        } else {
          reset();
        }
      }
    }

    /** Resets both sides; the caller holds the lock. */
    void reset() {
      reset = true;
      TcpFaultProxy.reset(client);
      TcpFaultProxy.reset(upstream);
    }
  }
}
