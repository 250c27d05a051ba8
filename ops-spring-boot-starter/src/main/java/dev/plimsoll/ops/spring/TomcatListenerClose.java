package dev.plimsoll.ops.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.ProtocolHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * Closes the embedded Tomcat's listening sockets when Plimsoll's drain is over, then gives the
 * connections Tomcat already accepted a moment to be read, before Spring Boot's graceful shutdown
 * pauses the connectors.
 *
 * <p>Spring Boot's graceful shutdown pauses each connector first and closes its socket after. A
 * request whose first line Tomcat has read when the pause comes is not served: Tomcat answers it
 * with 400 (it skips the headers of a request it reads while paused, then finds no {@code Host}) or
 * closes the connection, and a client does not retry a 400. Under steady load on a connection per
 * request this happened in up to 5 of 40 SIGTERMs (docs/reliability.md). With the sockets closed
 * first, new connections are refused, which a client retries on another instance, and the accepted
 * ones are served; the pause then finds Tomcat's workers idle.
 */
final class TomcatListenerClose {

  private static final Logger LOG = LoggerFactory.getLogger(TomcatListenerClose.class);

  /**
   * How long the workers get to read the connections accepted before the sockets closed. Reading a
   * request takes microseconds; a request being served when this runs out is still waited for by
   * Spring Boot's graceful shutdown.
   */
  static final Duration SETTLE = Duration.ofSeconds(1);

  private static final long POLL_MILLIS = 5;

  private TomcatListenerClose() {}

  /**
   * What closing did: the connectors whose sockets closed, and whether their workers went idle
   * within {@link #SETTLE}.
   */
  record Closed(int connectors, boolean idle, long waitedMillis) {}

  /**
   * Closes the listening sockets of {@code server} if it is Tomcat and waits up to {@code settle}
   * for its workers to go idle; nothing for another server. Never throws: the shutdown goes on
   * either way.
   */
  static Closed close(@Nullable WebServer server, Duration settle) {
    if (!(server instanceof TomcatWebServer tomcat)) {
      return new Closed(0, true, 0);
    }
    try {
      List<ProtocolHandler> handlers = new ArrayList<>();
      for (Service service : tomcat.getTomcat().getServer().findServices()) {
        for (Connector connector : service.findConnectors()) {
          ProtocolHandler handler = connector.getProtocolHandler();
          handler.closeServerSocketGraceful();
          handlers.add(handler);
        }
      }
      long start = System.nanoTime();
      boolean idle = awaitIdle(handlers, start + settle.toNanos());
      long waited = (System.nanoTime() - start) / 1_000_000;
      if (idle) {
        LOG.info("Listening sockets closed; Tomcat's workers idle after {} ms", waited);
      } else {
        LOG.info(
            "Listening sockets closed; Tomcat's workers still busy after {} ms, their requests"
                + " are left to the web server's graceful shutdown",
            waited);
      }
      return new Closed(handlers.size(), idle, waited);
    } catch (RuntimeException e) {
      LOG.warn("Could not close Tomcat's listening sockets; the web server stops them itself", e);
      return new Closed(0, false, 0);
    }
  }

  private static boolean awaitIdle(List<ProtocolHandler> handlers, long deadline) {
    while (busyWorkers(handlers) > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Workers running a connection now: reading a request or serving it. 0 when unknown. */
  private static int busyWorkers(List<ProtocolHandler> handlers) {
    int busy = 0;
    for (ProtocolHandler handler : handlers) {
      busy += activeCount(handler.getExecutor());
    }
    return busy;
  }

  private static int activeCount(@Nullable Executor executor) {
    if (executor instanceof org.apache.tomcat.util.threads.ThreadPoolExecutor pool) {
      return pool.getActiveCount();
    }
    if (executor instanceof org.apache.catalina.core.StandardThreadExecutor shared) {
      return shared.getActiveCount();
    }
    if (executor instanceof java.util.concurrent.ThreadPoolExecutor pool) {
      return pool.getActiveCount();
    }
    // Virtual threads or another executor: no count to wait on.
    return 0;
  }
}
