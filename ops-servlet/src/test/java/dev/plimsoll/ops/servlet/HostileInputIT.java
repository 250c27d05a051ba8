package dev.plimsoll.ops.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Scrape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests no HTTP client library would send, written byte by byte to a real Jetty: traversal and
 * percent-encoded paths, invalid UTF-8, control characters and huge values. Whatever Jetty decides
 * about them, Plimsoll must not make a request fail, let an exception escape, break a log line or
 * let the route label follow the raw path.
 */
class HostileInputIT {

  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    app = new TestApp(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  private static final List<byte[]> CORPUS =
      List.of(
          request("GET /orders/%2e%2e/%2e%2e/etc/passwd HTTP/1.1"),
          request("GET /orders/..%2f..%2fsecret HTTP/1.1"),
          request("GET /orders/%00 HTTP/1.1"),
          request("GET /orders/%ff%fe%fd HTTP/1.1"),
          request("GET /hello?q=%zz&x=%ff HTTP/1.1"),
          request("GET /orders/" + "a".repeat(10_000) + " HTTP/1.1"),
          request("GET /hello HTTP/1.1", "X-Request-ID: \u00e9t\u00e9"),
          request("GET /hello HTTP/1.1", "X-Forwarded-For: 1.2.3.4, <script>"),
          request("GET /hello HTTP/1.1", "traceparent: 00-\u00ff\u00fe-zz-01"),
          request("GET /hello HTTP/1.1", "User-Agent: " + "\u00ff".repeat(4096)),
          request("FOO /hello HTTP/1.1"),
          raw("GET /orders/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
          raw(
              "GET /hello HTTP/1.1\r\nHost: x\r\nX-Request-ID: a\u0001b\r\nConnection: close\r\n\r\n"));

  @Test
  void noHostileRequestMakesPlimsollFailOrBreakALogLine() throws Exception {
    List<String> statuses = new ArrayList<>();
    for (byte[] request : CORPUS) {
      statuses.add(send(request));
    }
    // Jetty refuses some outright (400) and the servlet does not know FOO (501); none is a 500.
    assertThat(statuses)
        .hasSize(CORPUS.size())
        .allMatch(s -> s.matches("HTTP/1\\.1 \\d{3} .*"))
        .noneMatch(s -> s.startsWith("HTTP/1.1 500"));
    assertThat(statuses.stream().filter(s -> s.startsWith("HTTP/1.1 200"))).hasSizeGreaterThan(4);
    // Plimsoll did not fail on any of them, every log line is one JSON object, and the routes
    // stayed templates.
    Scrape scrape = app.scrape();
    assertThat(scrape.samples("ops_instrumentation_errors_total")).isEmpty();
    app.logs.json();
    assertThat(
            scrape.samples("http_server_request_duration_seconds_count").stream()
                .map(s -> s.label("http_route"))
                .distinct())
        .allMatch(route -> route.length() < 64 && !route.contains("passwd"));
    assertThat(app.get("/hello").statusCode()).isEqualTo(200);
  }

  private static byte[] request(String requestLine, String... headers) {
    StringBuilder text = new StringBuilder(requestLine).append("\r\nHost: x\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    return text.append("Connection: close\r\n\r\n")
        .toString()
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] raw(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String send(byte[] request) throws IOException {
    URI base = URI.create(app.base);
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        line.write(b);
      }
      return line.toString(StandardCharsets.ISO_8859_1).trim();
    }
  }
}
