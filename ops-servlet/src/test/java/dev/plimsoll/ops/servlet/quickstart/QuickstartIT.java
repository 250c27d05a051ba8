package dev.plimsoll.ops.servlet.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Scrape;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The README's quickstart, run as written in a real Jetty. */
class QuickstartIT {

  @Test
  void theReadmeQuickstartInstrumentsAPlainServletApp() throws Exception {
    System.setProperty("ops.service.name", "quickstart");
    Server server = new Server();
    try {
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(Hello.class, "/hello");
      context.addEventListener(new Observability());
      server.setHandler(context);
      server.start();

      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + connector.getLocalPort();
      HttpResponse<String> hello =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/hello")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.headers().firstValue("X-Request-ID"))
          .get()
          .asString()
          .matches("[0-9a-f]{32}");

      String metrics =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(
              Scrape.parse(metrics)
                  .samples(
                      "http_server_request_duration_seconds_count",
                      Map.of(
                          "service_name",
                          "quickstart",
                          "http_route",
                          "/hello",
                          "http_response_status_code",
                          "200")))
          .singleElement()
          .satisfies(s -> assertThat(s.value()).isEqualTo(1.0));
    } finally {
      server.stop();
      System.clearProperty("ops.service.name");
    }
  }

  @Test
  void theReadmeShowsTheQuickstartAsTested() throws IOException {
    String source =
        Files.readString(
            Path.of("src/test/java/dev/plimsoll/ops/servlet/quickstart/Observability.java"));
    String snippet =
        source
            .substring(
                source.indexOf("// tag::quickstart[]") + "// tag::quickstart[]".length(),
                source.indexOf("// end::quickstart[]"))
            .strip();
    assertThat(Files.readString(Path.of("../README.md"))).contains(snippet);
  }

  public static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/json");
      resp.getWriter().write("{\"hello\":\"world\"}");
    }
  }
}
