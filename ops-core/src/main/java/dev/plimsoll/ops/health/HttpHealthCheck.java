package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Checks an HTTP dependency: a {@code GET} of its URL (over HTTP/1.1; credentials in the URL are
 * sent as Basic authorization) must answer with the expected status within the timeout. Down with
 * reason {@code timeout}, {@code connection refused} or {@code status N} otherwise; the URL in the
 * details has its credentials removed.
 */
public final class HttpHealthCheck implements HealthCheck {

  private final URI uri;
  private final URI target;
  private final @Nullable String authorization;
  private final int expectedStatus;
  private final Duration timeout;
  private final HttpClient client;

  private HttpHealthCheck(URI uri, int expectedStatus, Duration timeout) {
    this.uri = requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException(
          "not an http or https URL: " + Redaction.url(uri.toString()));
    }
    if (expectedStatus < 100 || expectedStatus > 599) {
      throw new IllegalArgumentException("expected status must be from 100 to 599");
    }
    this.expectedStatus = expectedStatus;
    this.timeout = requireNonNull(timeout, "timeout");
    // The JDK client ignores user-info: send it as Basic credentials, and never in the request
    // line.
    String userInfo = uri.getRawUserInfo();
    this.authorization =
        userInfo == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        URLDecoder.decode(userInfo, StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8));
    this.target = userInfo == null ? uri : withoutUserInfo(uri);
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A check that expects {@code 200} from {@code uri} within {@code timeout}. */
  public static HttpHealthCheck of(URI uri, Duration timeout) {
    return new HttpHealthCheck(uri, 200, timeout);
  }

  /**
   * A check that expects {@code expectedStatus} from {@code uri} within {@code timeout}.
   *
   * @throws IllegalArgumentException if the URL is not http or https, or the status is not one
   */
  public static HttpHealthCheck of(URI uri, int expectedStatus, Duration timeout) {
    return new HttpHealthCheck(uri, expectedStatus, timeout);
  }

  @Override
  public HealthResult check() throws InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(target).timeout(timeout).GET().header("Accept", "*/*");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    String shown = Redaction.url(uri.toString());
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      HealthResult result =
          status == expectedStatus ? HealthResult.up() : HealthResult.down("status " + status);
      return result.withDetail("url", shown).withDetail("status", status);
    } catch (HttpTimeoutException e) {
      return HealthResult.down(HealthNames.TIMEOUT).withDetail("url", shown);
    } catch (java.net.ConnectException e) {
      return HealthResult.down("connection refused").withDetail("url", shown);
    } catch (IOException e) {
      return HealthResult.down(e.getClass().getSimpleName()).withDetail("url", shown);
    }
  }

  private static URI withoutUserInfo(URI uri) {
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + Redaction.url(uri.toString()), e);
    }
  }

  @Override
  public String toString() {
    return "HttpHealthCheck " + Redaction.url(uri.toString());
  }
}
