package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The README's "try it" commands, run as written (curl) against the packaged service. */
class ReadmeTryItIT {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  static List<String> commands() throws IOException {
    String readme =
        Files.readString(Path.of(System.getProperty("basedir", "."), "..", "README.md"));
    int marker = readme.indexOf("<!-- try-it -->");
    assertThat(marker).as("the README's try-it block").isNotNegative();
    int start = readme.indexOf("```sh\n", marker) + "```sh\n".length();
    String block = readme.substring(start, readme.indexOf("```", start));
    return block.lines().filter(line -> !line.isBlank()).toList();
  }

  @Test
  void theReadmesTryItCommandsWorkAsDescribed() throws Exception {
    List<String> commands = commands();
    assertThat(commands).hasSize(5);
    try (ServiceProcess service = ServiceProcess.start(Map.of())) {
      service.awaitReady(Duration.ofSeconds(60));
      String host = "127.0.0.1:" + service.port();
      List<String> outputs = new ArrayList<>();
      for (String command : commands) {
        outputs.add(
            Commands.run(
                "bash", "-c", "set -o pipefail; " + command.replace("localhost:8080", host)));
      }
      assertThat(outputs.get(0))
          .startsWith("{\"id\":1,\"title\":\"Write the runbook\",\"done\":false");
      assertThat(outputs.get(1)).startsWith("{\"id\":1,\"title\":\"Write the runbook\"");
      assertThat(outputs.get(2)).startsWith("HTTP/1.1 200").containsIgnoringCase("X-Request-ID: ");
      assertThat(outputs.get(3)).startsWith("{\"status\":\"UP\",\"group\":\"ready\"");
      assertThat(outputs.get(4)).contains("http_server_request_duration_seconds_count{");
      List<JsonNode> traced =
          service.accessLog().stream()
              .filter(line -> TRACE_ID.equals(line.path("trace_id").asString()))
              .toList();
      assertThat(traced)
          .singleElement()
          .satisfies(line -> assertThat(line.path("request_id").asString()).isNotEmpty());
    }
  }
}
