package dev.plimsoll.example;

import dev.plimsoll.ops.testsupport.Scrape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Real HTTP calls to the example service on a loopback port, for the tests of this module. */
final class ServiceClient {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A request ID as the filter generates it. */
  static final String GENERATED_ID = "[0-9a-f]{32}";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final HttpClient http;

  private ServiceClient(URI base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  /** A client of {@code http://127.0.0.1:port}. */
  static ServiceClient onPort(int port) {
    return new ServiceClient(URI.create("http://127.0.0.1:" + port));
  }

  /** {@code http://127.0.0.1:port}, without a trailing slash. */
  String base() {
    return base.toString();
  }

  int port() {
    return base.getPort();
  }

  HttpResponse<String> get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  HttpResponse<String> post(String path, String json, String... headers) {
    return send("POST", path, json, headers);
  }

  HttpResponse<String> put(String path, String json, String... headers) {
    return send("PUT", path, json, headers);
  }

  HttpResponse<String> delete(String path, String... headers) {
    return send("DELETE", path, null, headers);
  }

  /** Creates a task and returns its ID, failing unless the service answers 201. */
  long create(String title) {
    HttpResponse<String> created = post("/tasks", json(Map.of("title", title)));
    if (created.statusCode() != 201) {
      throw new AssertionError("POST /tasks answered " + created.statusCode() + ": " + created);
    }
    return json(created).get("id").asLong();
  }

  /** The parsed {@code /metrics} scrape. */
  Scrape scrape() {
    HttpResponse<String> metrics = get("/metrics");
    if (metrics.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + metrics.statusCode());
    }
    return Scrape.parse(metrics.body());
  }

  /**
   * One request; {@code headers} are name-value pairs.
   *
   * @throws UncheckedIOException if the service cannot be reached
   */
  HttpResponse<String> send(String method, String path, String json, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + method + " " + path, e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  static String json(Object value) {
    return JSON.writeValueAsString(value);
  }

  /** The {@code X-Request-ID} response header, failing when it is missing. */
  static String requestId(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue("X-Request-ID")
        .orElseThrow(() -> new AssertionError("no X-Request-ID on " + response));
  }
}
