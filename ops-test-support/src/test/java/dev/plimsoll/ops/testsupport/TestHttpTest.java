package dev.plimsoll.ops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestHttpTest {

  @Test
  void awaitStatusWaitsThroughRefusedConnectionsForAServerThatStartsLater() throws Exception {
    int port = FreePorts.find();
    String url = "http://127.0.0.1:" + port + "/ready";
    // Nothing listens yet: a single GET is refused.
    assertThatThrownBy(() -> TestHttp.get(url)).hasCauseInstanceOf(ConnectException.class);

    CompletableFuture<Integer> awaited =
        CompletableFuture.supplyAsync(
            () -> TestHttp.awaitStatus(url, 200, Duration.ofSeconds(60)).statusCode());
    HttpServer server = null;
    try {
      // Started only after the waiter has begun, so it meets refused connections first.
      Thread.sleep(300);
      assertThat(awaited).as("still waiting while nothing listens").isNotDone();
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext(
          "/ready",
          exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      assertThat(awaited.get(60, TimeUnit.SECONDS)).isEqualTo(200);
    } finally {
      if (server != null) {
        server.stop(0);
      }
    }
  }
}
