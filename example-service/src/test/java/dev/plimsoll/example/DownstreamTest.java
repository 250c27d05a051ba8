package dev.plimsoll.example;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.plimsoll.ops.testsupport.Await;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The downstream service, played by WireMock: each new task is announced to it, and its failures
 * never fail a request nor take readiness down, because its check is not critical.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"ops.shutdown.drain-delay=0s", "tasks.downstream.timeout=2s"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DownstreamTest {

  private static final Duration HEALTH_CHANGE = Duration.ofSeconds(10);

  private static final WireMockServer DOWNSTREAM =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

  @LocalServerPort int port;

  private ServiceClient client;

  @BeforeAll
  static void startDownstream() {
    DOWNSTREAM.start();
  }

  @AfterAll
  static void stopDownstream() {
    DOWNSTREAM.stop();
  }

  @DynamicPropertySource
  static void downstream(DynamicPropertyRegistry registry) {
    registry.add("tasks.downstream.url", () -> "http://127.0.0.1:" + DOWNSTREAM.port());
  }

  @BeforeEach
  void healthyDownstream() {
    client = ServiceClient.onPort(port);
    if (DOWNSTREAM.isRunning()) {
      DOWNSTREAM.resetAll();
      DOWNSTREAM.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(202)));
      DOWNSTREAM.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(200)));
    }
  }

  @Test
  @Order(1)
  void createdTaskIsPostedToEventsWithItsId() {
    long id = client.create("tell the downstream");

    DOWNSTREAM.verify(
        1,
        postRequestedFor(urlEqualTo("/events"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(matchingJsonPath("$.type", equalTo("task.created")))
            .withRequestBody(matchingJsonPath("$.task_id", equalTo(Long.toString(id)))));
  }

  @Test
  @Order(2)
  void failingDownstreamHealthDegradesReadinessWithout503() {
    awaitReadiness("UP", "UP");

    DOWNSTREAM.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(500)));
    JsonNode degraded = awaitReadiness("DEGRADED", "DOWN");
    JsonNode downstream = degraded.get("checks").get("downstream");
    assertThat(downstream.get("critical").asBoolean()).isFalse();
    assertThat(downstream.get("reason").asString()).isEqualTo("status 500");
    assertThat(degraded.get("checks").get("database").get("status").asString()).isEqualTo("UP");

    DOWNSTREAM.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(200)));
    awaitReadiness("UP", "UP");
  }

  @Test
  @Order(3)
  void brokenOrSlowDownstreamStillCreatesTheTask() {
    DOWNSTREAM.stubFor(
        post(urlEqualTo("/events"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    long reset = client.create("downstream resets the connection");
    assertThat(client.get("/tasks/" + reset).statusCode()).isEqualTo(200);

    DOWNSTREAM.stubFor(
        post(urlEqualTo("/events")).willReturn(aResponse().withStatus(202).withFixedDelay(6000)));
    long slow = client.create("downstream is slower than its timeout");
    assertThat(client.get("/tasks/" + slow).statusCode()).isEqualTo(200);

    DOWNSTREAM.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(503)));
    assertThat(client.post("/tasks", "{\"title\":\"downstream answers 503\"}").statusCode())
        .isEqualTo(201);
  }

  /** Runs last: the downstream is gone for good. */
  @Test
  @Order(4)
  void stoppedDownstreamStillCreatesTheTaskAndOnlyDegradesReadiness() {
    DOWNSTREAM.stop();

    HttpResponse<String> created = client.post("/tasks", "{\"title\":\"nobody listens\"}");
    assertThat(created.statusCode()).isEqualTo(201);

    JsonNode degraded = awaitReadiness("DEGRADED", "DOWN");
    assertThat(degraded.get("checks").get("downstream").get("reason").asString())
        .isEqualTo("connection refused");
  }

  /**
   * Waits until readiness answers 200 with {@code status} and the downstream check with {@code
   * downstream}, and returns the body.
   */
  private JsonNode awaitReadiness(String status, String downstream) {
    String[] last = {"nothing yet"};
    try {
      return Await.until(
          "readiness " + status + " with downstream " + downstream,
          HEALTH_CHANGE,
          () -> {
            HttpResponse<String> ready = client.get("/health/ready");
            last[0] = ready.statusCode() + " " + ready.body();
            JsonNode body = ServiceClient.json(ready);
            boolean matches =
                ready.statusCode() == 200
                    && body.get("status").asString().equals(status)
                    && body.path("checks")
                        .path("downstream")
                        .path("status")
                        .asString()
                        .equals(downstream);
            return matches ? body : null;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
    }
  }
}
