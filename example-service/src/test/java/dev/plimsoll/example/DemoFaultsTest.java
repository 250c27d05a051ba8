package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.Scrape;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The demo knobs: {@code tasks.demo.enabled} is the one switch, so an error rate alone fails
 * nothing, and with it on the injected failures are 500s that the metrics record with their {@code
 * error_type}.
 */
class DemoFaultsTest {

  private static final String FAULT = DemoFaults.DemoFaultException.class.getName();

  @Nested
  @SpringBootTest(
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {"ops.shutdown.drain-delay=0s", "tasks.demo.error-rate=1"})
  class ErrorRateWithoutTheSwitch {

    @LocalServerPort int port;

    @Autowired RequestMappingHandlerMapping handlers;

    @Test
    void failsNothing() throws Exception {
      ServiceClient client = ServiceClient.onPort(port);
      long id = client.create("not failed on purpose");
      for (int i = 0; i < 20; i++) {
        assertThat(client.get("/tasks/" + id).statusCode()).isEqualTo(200);
      }
      HandlerExecutionChain chain =
          handlers.getHandler(new MockHttpServletRequest("GET", "/tasks"));
      assertThat(chain.getInterceptorList()).noneMatch(DemoFaults.class::isInstance);
    }
  }

  @Nested
  @SpringBootTest(
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "ops.shutdown.drain-delay=0s",
        "tasks.demo.enabled=true",
        "tasks.demo.error-rate=1"
      })
  class Enabled {

    @LocalServerPort int port;

    @Autowired RequestMappingHandlerMapping handlers;

    @Test
    void answersTasksWith500sRecordedWithTheirErrorType() throws Exception {
      ServiceClient client = ServiceClient.onPort(port);
      HandlerExecutionChain chain =
          handlers.getHandler(new MockHttpServletRequest("GET", "/tasks"));
      assertThat(chain.getInterceptorList()).anyMatch(DemoFaults.class::isInstance);

      for (int i = 0; i < 3; i++) {
        HttpResponse<String> failed = client.get("/tasks");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(ServiceClient.requestId(failed)).matches(ServiceClient.GENERATED_ID);
      }
      assertThat(client.post("/tasks", "{\"title\":\"never stored\"}").statusCode()).isEqualTo(500);
      assertThat(client.get("/tasks/1").statusCode()).isEqualTo(500);
      // Only /tasks is faulty: the probes and the scrape are not.
      assertThat(client.get("/health/ready").statusCode()).isEqualTo(200);

      List<Scrape.Sample> faults =
          Await.until(
              "the injected failures in the request metric",
              Duration.ofSeconds(5),
              () -> {
                List<Scrape.Sample> samples =
                    client
                        .scrape()
                        .samples(
                            "http_server_request_duration_seconds_count",
                            Map.of("http_response_status_code", "500"));
                return samples.stream().mapToDouble(Scrape.Sample::value).sum() == 5
                    ? samples
                    : null;
              });
      assertThat(faults)
          .allSatisfy(s -> assertThat(s.label("error_type")).isEqualTo(FAULT))
          .extracting(
              s -> s.label("http_request_method") + " " + s.label("http_route"), s -> s.value())
          .containsExactlyInAnyOrder(
              tuple("GET /tasks", 3.0), tuple("POST /tasks", 1.0), tuple("GET /tasks/{id}", 1.0));
    }
  }
}
