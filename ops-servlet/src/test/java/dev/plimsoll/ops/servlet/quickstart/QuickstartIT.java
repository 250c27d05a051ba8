package dev.plimsoll.ops.servlet.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.testsupport.Await;
import dev.plimsoll.ops.testsupport.FreePorts;
import dev.plimsoll.ops.testsupport.JavaProcess;
import dev.plimsoll.ops.testsupport.Scrape;
import dev.plimsoll.ops.testsupport.TestHttp;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
      HttpResponse<String> ready =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).startsWith("{\"status\":\"UP\",\"group\":\"ready\"");
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
  void theReadmesDependencySnippetRegistersChecksAndClosers() throws Exception {
    Plimsoll plimsoll =
        Plimsoll.builder()
            .settings(OpsSettings.from(ConfigSource.of(Map.of("ops.shutdown.hook", "false"))))
            .build();
    List<String> closed = new CopyOnWriteArrayList<>();
    try (HikariDataSource pool = new HikariDataSource()) { // lazy: connects at first use only
      pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
      Dependencies.register(plimsoll, pool, URI.create("http://127.0.0.1:1/health"), new Server());
      plimsoll.shutdown().addCloser("marker", () -> closed.add("after database"));
      assertThat(plimsoll.health().names()).contains("database", "payments");
      plimsoll.close();
      assertThat(pool.isClosed()).isTrue();
      assertThat(closed).containsExactly("after database");
    }
  }

  @Test
  void theReadmesEmbeddedJettyMainServesThenDrainsOnSigterm() throws Exception {
    int port = FreePorts.find();
    try (JavaProcess app =
        JavaProcess.startMain(
            EmbeddedJetty.class,
            Map.of(
                "PORT", Integer.toString(port),
                "OPS_SERVICE_NAME", "quickstart",
                "OPS_SHUTDOWN_DRAIN_DELAY", "2s"),
            List.of())) {
      String base = "http://127.0.0.1:" + port;
      Await.until(
          "the embedded Jetty to be ready",
          Duration.ofSeconds(60),
          () -> {
            assertThat(app.isAlive()).as("running; output %s", app.stdout()).isTrue();
            try {
              return TestHttp.get(base + "/health/ready").statusCode() == 200;
            } catch (IllegalStateException notListeningYet) {
              return false;
            }
          });
      assertThat(TestHttp.get(base + "/hello").body()).isEqualTo("hello\n");
      assertThat(
              Scrape.parse(TestHttp.get(base + "/metrics").body())
                  .sum(
                      "http_server_request_duration_seconds_count",
                      Map.of("service_name", "quickstart", "http_route", "/hello")))
          .isEqualTo(1.0);

      app.sigterm();
      HttpResponse<String> draining =
          TestHttp.awaitStatus(base + "/health/ready", 503, Duration.ofSeconds(10));
      assertThat(draining.body()).contains("draining");
      assertThat(TestHttp.get(base + "/hello").statusCode()).isEqualTo(200); // still served
      assertThat(app.waitFor(Duration.ofSeconds(30))).isEqualTo(143); // the JVM's SIGTERM status
      assertThat(app.stdout()).anyMatch(line -> line.contains("Shutdown complete"));
      assertThat(app.stdout()).anyMatch(line -> line.contains("server-stop"));
    }
  }

  @Test
  void theReadmeShowsTheSnippetsAsTested() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(readme).contains(snippet("Observability.java", "quickstart"));
    assertThat(readme).contains(snippet("Dependencies.java", "dependencies"));
    assertThat(readme).contains(snippet("EmbeddedJetty.java", "embedded"));
  }

  private static String snippet(String file, String tag) throws IOException {
    String source =
        Files.readString(Path.of("src/test/java/dev/plimsoll/ops/servlet/quickstart", file));
    String start = "// tag::" + tag + "[]";
    String lines =
        source.substring(
            source.indexOf(start) + start.length(), source.indexOf("// end::" + tag + "[]"));
    return lines.stripIndent().strip();
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
