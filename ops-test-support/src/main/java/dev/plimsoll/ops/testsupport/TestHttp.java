package dev.plimsoll.ops.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Plain {@code GET}s over loopback for tests, each bounded by a 20 s timeout. */
public final class TestHttp {

  private TestHttp() {}

  /**
   * Starts a {@code GET} of {@code url} on a connection of its own, with {@code headers} (name,
   * value, name, value...); the response body as a string. No connection is shared, so a {@code
   * Connection: close} from a draining server cannot fail a later request (JDK 25's client fails
   * the next connect after one).
   */
  public static CompletableFuture<HttpResponse<String>> send(String url, String... headers) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code GET}s {@code url} with {@code headers} (name, value...) and waits for the response.
   *
   * @throws IllegalStateException if the request fails or times out; its cause says why
   */
  public static HttpResponse<String> get(String url, String... headers) {
    try {
      return send(url, headers).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("GET " + url + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("GET " + url + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("GET " + url + " interrupted", e);
    }
  }

  /**
   * {@code GET}s {@code url} until it answers {@code status}, for at most {@code timeout}; a
   * refused connection (a server not listening yet) is retried like any other answer.
   *
   * @return the first response with that status
   * @throws AssertionError if none came in time (through {@link Await#until})
   */
  public static HttpResponse<String> awaitStatus(String url, int status, Duration timeout) {
    return Await.until(
        url + " to answer " + status,
        timeout,
        () -> {
          HttpResponse<String> response;
          try {
            response = get(url);
          } catch (IllegalStateException e) {
            if (e.getCause() instanceof java.net.ConnectException) {
              return null;
            }
            throw e;
          }
          return response.statusCode() == status ? response : null;
        });
  }
}
