package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.Scrape;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The task API over real HTTP on the default H2 database, and what Plimsoll makes of it: RED
 * metrics by route template, the probes, request IDs, pool metrics, and no fault injection unless
 * asked for.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ops.shutdown.drain-delay=0s")
class TaskApiTest {

  private static final String DURATION_COUNT = "http_server_request_duration_seconds_count";

  @LocalServerPort int port;

  @Autowired TasksProperties properties;

  @Autowired RequestMappingHandlerMapping handlers;

  private ServiceClient client;

  @BeforeEach
  void connect() {
    client = ServiceClient.onPort(port);
  }

  @Test
  void createGetListUpdateDeleteRoundTrip() {
    HttpResponse<String> created = client.post("/tasks", "{\"title\":\"  Write the tests  \"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode task = ServiceClient.json(created);
    long id = task.get("id").asLong();
    assertThat(id).isPositive();
    assertThat(task.get("title").asString()).isEqualTo("Write the tests");
    assertThat(task.get("done").asBoolean()).isFalse();
    assertThat(task.get("createdAt").asString()).isNotBlank();

    HttpResponse<String> got = client.get("/tasks/" + id);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(ServiceClient.json(got)).isEqualTo(task);

    HttpResponse<String> list = client.get("/tasks?limit=1000");
    assertThat(list.statusCode()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    ServiceClient.json(list).forEach(node -> ids.add(node.get("id").asLong()));
    assertThat(ids).contains(id);

    HttpResponse<String> updated =
        client.put("/tasks/" + id, "{\"title\":\"Write more tests\",\"done\":true}");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(ServiceClient.json(updated).get("title").asString()).isEqualTo("Write more tests");
    assertThat(ServiceClient.json(updated).get("done").asBoolean()).isTrue();
    assertThat(ServiceClient.json(client.get("/tasks/" + id)).get("done").asBoolean()).isTrue();

    assertThat(client.delete("/tasks/" + id).statusCode()).isEqualTo(204);
    assertThat(client.get("/tasks/" + id).statusCode()).isEqualTo(404);
    assertThat(client.delete("/tasks/" + id).statusCode()).isEqualTo(404);
    assertThat(client.put("/tasks/" + id, "{\"title\":\"gone\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void rejectsBadTitlesAndLimits() {
    assertThat(client.post("/tasks", "{\"title\":\"   \"}").statusCode()).isEqualTo(400);
    assertThat(client.post("/tasks", "{}").statusCode()).isEqualTo(400);
    assertThat(client.post("/tasks", "{\"title\":\"" + "x".repeat(201) + "\"}").statusCode())
        .isEqualTo(400);
    assertThat(client.post("/tasks", "{\"title\":\"" + "x".repeat(200) + "\"}").statusCode())
        .isEqualTo(201);
    long id = client.create("valid");
    assertThat(client.put("/tasks/" + id, "{\"title\":\"\"}").statusCode()).isEqualTo(400);
    assertThat(ServiceClient.json(client.get("/tasks/" + id)).get("title").asString())
        .isEqualTo("valid");
    assertThat(client.get("/tasks?limit=0").statusCode()).isEqualTo(400);
    assertThat(client.get("/tasks?limit=1001").statusCode()).isEqualTo(400);
  }

  @Test
  void requestMetricsUseRouteTemplatesAndFinalStatus() {
    long existing = client.create("measured");
    long unknown = existing + 1_000_000;
    Map<List<String>, Double> before = counts(client.scrape());

    client.post("/tasks", "{\"title\":\"one more\"}");
    client.get("/tasks/" + existing);
    client.get("/tasks/" + unknown);
    client.post("/tasks", "{\"title\":\"\"}");
    client.get("/tasks");

    Map<List<String>, Double> expected = new LinkedHashMap<>();
    expected.put(List.of("POST", "/tasks", "201"), 1.0);
    expected.put(List.of("GET", "/tasks/{id}", "200"), 1.0);
    expected.put(List.of("GET", "/tasks/{id}", "404"), 1.0);
    expected.put(List.of("POST", "/tasks", "400"), 1.0);
    expected.put(List.of("GET", "/tasks", "200"), 1.0);
    // The filter records a request as it finishes, which may be just after the client has read
    // the response.
    Map<List<String>, Double> increase =
        Await.until(
            "one request counted per method, route and status",
            Duration.ofSeconds(5),
            () -> {
              Map<List<String>, Double> now = counts(client.scrape());
              Map<List<String>, Double> delta = new LinkedHashMap<>();
              expected
                  .keySet()
                  .forEach(
                      k -> delta.put(k, now.getOrDefault(k, 0.0) - before.getOrDefault(k, 0.0)));
              return delta.equals(expected) ? delta : null;
            });
    assertThat(increase).isEqualTo(expected);

    Scrape scrape = client.scrape();
    List<Scrape.Sample> requests = scrape.samples(DURATION_COUNT);
    assertThat(requests)
        .extracting(s -> s.label("http_route"))
        .doesNotContain("/tasks/" + existing, "/tasks/" + unknown)
        .allSatisfy(route -> assertThat(route).doesNotContainPattern("/\\d+"));
    List<Scrape.Sample> notFound =
        scrape.samples(
            DURATION_COUNT,
            Map.of(
                "http_request_method",
                "GET",
                "http_route",
                "/tasks/{id}",
                "http_response_status_code",
                "404"));
    assertThat(notFound)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.label("error_type")).isEmpty();
              assertThat(s.label("service_name")).isEqualTo("example-service");
              assertThat(s.label("service_version")).isNotBlank();
              assertThat(s.label("deployment_environment")).isEqualTo("development");
            });
    assertThat(scrape.type("http_server_request_duration_seconds")).isEqualTo("histogram");
  }

  @Test
  void readinessHasTheDatabaseAndTheApplicationAndNoDownstream() {
    HttpResponse<String> ready = client.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = ServiceClient.json(ready);
    assertThat(body.get("status").asString()).isEqualTo("UP");
    assertThat(body.get("group").asString()).isEqualTo("ready");
    JsonNode checks = body.get("checks");
    assertThat(checks.get("database").get("status").asString()).isEqualTo("UP");
    assertThat(checks.get("database").get("critical").asBoolean()).isTrue();
    assertThat(checks.get("application").get("status").asString()).isEqualTo("UP");
    // TASKS_DOWNSTREAM_URL is unset: no downstream check at all.
    assertThat(checks.has("downstream")).isFalse();
    // Details are off by default.
    assertThat(checks.get("database").has("details")).isFalse();

    HttpResponse<String> live = client.get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(ServiceClient.json(live).get("status").asString()).isEqualTo("UP");
    assertThat(ServiceClient.json(live).get("checks").has("database"))
        .as("liveness never depends on the database")
        .isFalse();
    assertThat(client.get("/health/started").statusCode()).isEqualTo(200);
  }

  @Test
  void echoesSafeRequestIdsAndReplacesUnsafeOnes() {
    String mine = "task-api-" + UUID.randomUUID();
    assertThat(ServiceClient.requestId(client.get("/tasks", "X-Request-ID", mine))).isEqualTo(mine);
    assertThat(ServiceClient.requestId(client.get("/tasks/0", "X-Request-ID", mine)))
        .isEqualTo(mine);
    assertThat(ServiceClient.requestId(client.get("/tasks", "X-Request-ID", "a\"quote")))
        .matches(ServiceClient.GENERATED_ID);
    assertThat(ServiceClient.requestId(client.get("/tasks"))).matches(ServiceClient.GENERATED_ID);
    assertThat(ServiceClient.requestId(client.get("/health/ready"))).isNotBlank();
  }

  @Test
  void hikariPoolMetricsAreScraped() {
    Scrape scrape = client.scrape();
    assertThat(scrape.families())
        .contains(
            "hikaricp_connections_active",
            "hikaricp_connections_idle",
            "hikaricp_connections_pending",
            "hikaricp_connections_max");
    assertThat(scrape.samples("hikaricp_connections_max"))
        .singleElement()
        .satisfies(
            max -> {
              assertThat(max.value()).isEqualTo(10.0);
              assertThat(max.label("service_name")).isEqualTo("example-service");
            });
  }

  @Test
  void noRequestCanBeMadeToFailOnPurposeByDefault() throws Exception {
    assertThat(properties.demo().enabled()).isFalse();
    assertThat(properties.demo().errorRate()).isZero();
    assertThat(properties.demo().latency()).isZero();
    for (String path : List.of("/tasks", "/tasks/1", "/tasks/anything/below")) {
      HandlerExecutionChain chain = handlers.getHandler(new MockHttpServletRequest("GET", path));
      List<HandlerInterceptor> interceptors =
          chain == null ? List.of() : chain.getInterceptorList();
      assertThat(interceptors).as(path).noneMatch(DemoFaults.class::isInstance);
    }
  }

  /** Request counts by method, route and status. */
  private static Map<List<String>, Double> counts(Scrape scrape) {
    Map<List<String>, Double> counts = new HashMap<>();
    for (Scrape.Sample sample : scrape.samples(DURATION_COUNT)) {
      counts.merge(
          List.of(
              sample.label("http_request_method"),
              sample.label("http_route"),
              sample.label("http_response_status_code")),
          sample.value(),
          Double::sum);
    }
    return counts;
  }
}
