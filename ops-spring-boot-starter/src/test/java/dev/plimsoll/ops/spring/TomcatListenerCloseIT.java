package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.shutdown.internal.InFlightRequests;
import dev.plimsoll.ops.spring.testapp.TestApplication;
import dev.plimsoll.ops.testsupport.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The step between Plimsoll's drain and Spring Boot's graceful shutdown, on a real embedded Tomcat:
 * new connections are refused, while a connection Tomcat accepted before is still served.
 */
class TomcatListenerCloseIT {

  private static final Duration SLOW = Duration.ofSeconds(2);

  @Test
  void newConnectionsAreRefusedWhileAcceptedOnesAreStillServed() throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplication(TestApplication.class)
            .run("--server.port=0", "--ops.shutdown.drain-delay=0s");
    try {
      int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
      InFlightRequests inFlight = InFlightRequests.of(context.getBean(Plimsoll.class).shutdown());
      try (Socket accepted = connect(port)) {
        // Answered once, so Tomcat has accepted it; it stays open (keep-alive) for the next one.
        assertThat(exchange(accepted, "/greet/before", false)).startsWith("HTTP/1.1 200");
        // The client reads the answer before the server's filter has finished with the request:
        // wait for that, so that only the slow request below can count as in flight.
        Await.until("the first request done", Duration.ofSeconds(10), () -> inFlight.active() == 0);
        CompletableFuture<String> slow;
        try (Socket serving = connect(port)) {
          slow = CompletableFuture.supplyAsync(() -> exchangeUnchecked(serving, "/greet/slow"));
          // A request being served when the sockets close: the workers are not idle at once.
          Await.until(
              "the slow request in flight", Duration.ofSeconds(10), () -> inFlight.active() >= 1);
          TomcatListenerClose.Closed closed =
              TomcatListenerClose.close(
                  ((WebServerApplicationContext) context).getWebServer(), Duration.ofSeconds(10));

          assertThat(closed.connectors()).isEqualTo(1);
          assertThat(closed.idle()).as("workers idle once the slow request is answered").isTrue();
          assertThat(closed.waitedMillis()).as("waited for the slow request").isPositive();
          assertThat(slow.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
        }
        assertThatThrownBy(() -> connect(port).close())
            .as("a new connection once the listening socket is closed")
            .isInstanceOf(ConnectException.class);
        assertThat(exchange(accepted, "/greet/after", true))
            .as("a request on a connection accepted before the close")
            .startsWith("HTTP/1.1 200");
      }
    } finally {
      context.close();
    }
  }

  @Test
  void anotherServerOrNoneIsLeftAlone() {
    assertThat(TomcatListenerClose.close(null, Duration.ofSeconds(1)))
        .isEqualTo(new TomcatListenerClose.Closed(0, true, 0));
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    return socket;
  }

  private static String exchangeUnchecked(Socket socket, String path) {
    try {
      return exchange(socket, path + "?sleepMs=" + SLOW.toMillis(), true);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One GET on {@code socket}; the status line and headers of its response. */
  private static String exchange(Socket socket, String path, boolean close) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (close ? "Connection: close\r\n" : "")
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder head = new StringBuilder();
    int length = 0;
    String line;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      head.append(line).append('\n');
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    in.skip(length);
    return head.toString();
  }
}
