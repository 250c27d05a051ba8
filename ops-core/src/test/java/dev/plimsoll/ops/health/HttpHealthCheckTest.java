package dev.plimsoll.ops.health;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.plimsoll.ops.testsupport.FreePorts;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpHealthCheckTest {

  /** Generous, so the first request of a cold JVM is never mistaken for a timeout. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

  private static WireMockServer server;

  @BeforeAll
  static void startServer() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @BeforeEach
  void resetServer() {
    server.resetAll();
  }

  private static URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void upWithUrlAndStatusWhenThePeerAnswers200() throws Exception {
    server.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(200)));

    HealthResult result = HttpHealthCheck.of(url("/health"), TIMEOUT).check();

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.reason()).isNull();
    assertThat(result.details())
        .containsEntry("url", url("/health").toString())
        .containsEntry("status", 200);
    server.verify(1, getRequestedFor(urlEqualTo("/health")));
  }

  @Test
  void downWithTheStatusWhenThePeerAnswers500() throws Exception {
    server.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(500)));

    HealthResult result = HttpHealthCheck.of(url("/health"), TIMEOUT).check();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.reason()).isEqualTo("status 500");
    assertThat(result.details()).containsEntry("status", 500);
  }

  @Test
  void upWhenThePeerAnswersTheExpectedNon200Status() throws Exception {
    server.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withStatus(204)));

    HealthResult expected204 = HttpHealthCheck.of(url("/ping"), 204, TIMEOUT).check();
    HealthResult expected200 = HttpHealthCheck.of(url("/ping"), TIMEOUT).check();

    assertThat(expected204.status()).isEqualTo(HealthStatus.UP);
    assertThat(expected204.details()).containsEntry("status", 204);
    assertThat(expected200.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(expected200.reason()).isEqualTo("status 204");
  }

  @Test
  void downWithTimeoutWhenThePeerAnswersAfterTheTimeout() throws Exception {
    server.stubFor(
        get(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));

    HealthResult result = HttpHealthCheck.of(url("/slow"), SHORT_TIMEOUT).check();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.reason()).isEqualTo(HealthNames.TIMEOUT);
    assertThat(result.details()).containsEntry("url", url("/slow").toString());
  }

  @Test
  void downWithConnectionRefusedWhenNothingListens() throws Exception {
    URI closed = URI.create("http://127.0.0.1:" + FreePorts.find() + "/health");

    HealthResult result = HttpHealthCheck.of(closed, TIMEOUT).check();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.reason()).isEqualTo("connection refused");
    assertThat(result.details()).containsEntry("url", closed.toString());
  }

  private static URI withCredentials() {
    return URI.create(
        "http://user:s3cr3t-value@127.0.0.1:"
            + server.port()
            + "/health?token=t0k3n-value&probe=1");
  }

  @Test
  void credentialsInTheUrlAppearNowhere() throws Exception {
    server.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(200)));
    HttpHealthCheck check = HttpHealthCheck.of(withCredentials(), TIMEOUT);

    HealthResult result = check.check();
    String json;
    try (HealthRegistry registry = HealthRegistry.builder().defaultTimeout(TIMEOUT).build()) {
      registry.register("peer", HttpHealthCheck.of(withCredentials(), TIMEOUT), HealthGroup.READY);
      json = registry.check(HealthGroup.READY).toJson(true);
    }

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.details())
        .containsEntry(
            "url", "http://******@127.0.0.1:" + server.port() + "/health?token=******&probe=1");
    assertThat(json)
        .contains("\"peer\":{\"status\":\"UP\"")
        .contains("http://******@127.0.0.1:" + server.port() + "/health?token=******&probe=1");
    for (String shown :
        new String[] {result.toString(), result.details().toString(), check.toString(), json}) {
      assertThat(shown).doesNotContain("s3cr3t-value").doesNotContain("t0k3n-value");
    }
  }

  @Test
  void userInfoUrlStaysUpWhenTheConnectionIsReusedAndSendsBasicCredentials() throws Exception {
    // Regression: user-info left in the request URI made every second run on a reused HTTP/2
    // connection fail with GOAWAY, and the credentials were never sent.
    server.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(200)));
    HttpHealthCheck check = HttpHealthCheck.of(withCredentials(), TIMEOUT);

    for (int run = 1; run <= 3; run++) {
      HealthResult result = check.check();
      assertThat(result.status()).as("run %d: %s", run, result).isEqualTo(HealthStatus.UP);
    }
    server.verify(
        3,
        getRequestedFor(urlPathEqualTo("/health"))
            .withHeader("Authorization", equalTo("Basic dXNlcjpzM2NyM3QtdmFsdWU=")));
  }

  @Test
  void rejectsAUrlThatIsNotHttp() {
    assertThatThrownBy(
            () -> HttpHealthCheck.of(URI.create("ftp://user:s3cr3t@example.com/x"), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ftp://")
        .hasMessageNotContaining("s3cr3t");
  }
}
