package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.plimsoll.ops.logging.PlimsollConsoleAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.ObjectMapper;

/**
 * The starter's logback files, loaded by Spring Boot's own logging system as {@code logging.config}
 * makes it: the appender they name is Plimsoll's one pipeline, fed the Spring properties.
 */
class PlimsollLogbackXmlTest {

  private static final String LOGGER = "starter.logback.xml.test";

  private final LoggingSystem system = LoggingSystem.get(getClass().getClassLoader());
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restoreTheTestJvmsLogging() throws Exception {
    system.cleanUp();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void theJsonFileWritesPlimsollsLinesWithTheServiceProperties() throws Exception {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("ops.service.name", "orders")
            .withProperty("ops.service.version", "2.0")
            .withProperty("ops.environment", "staging");
    initialize(environment, "logback-json.xml");
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("PLIMSOLL_ASYNC"))
        .isInstanceOf(PlimsollConsoleAppender.class);

    List<String> lines = stdout(() -> context.getLogger(LOGGER).warn("hello"));

    assertThat(lines).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> line = new ObjectMapper().readValue(lines.get(0), Map.class);
    assertThat(line)
        .containsEntry("message", "hello")
        .containsEntry("level", "WARN")
        .containsEntry("service.name", "orders")
        .containsEntry("service.version", "2.0")
        .containsEntry("deployment.environment", "staging");
  }

  @Test
  void theTextFileShowsTheConfiguredTraceIdField() throws Exception {
    initialize(
        new MockEnvironment().withProperty("ops.log.trace-id-field", "traceId"),
        "logback-text.xml");
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("PLIMSOLL_ASYNC"))
        .isInstanceOf(PlimsollConsoleAppender.class);

    List<String> lines =
        stdout(
            () -> {
              context.getMDCAdapter().put("traceId", "0af7651916cd43dd8448eb211c80319c");
              try {
                context.getLogger(LOGGER).info("readable");
              } finally {
                context.getMDCAdapter().remove("traceId");
              }
            });

    assertThat(lines)
        .singleElement()
        .asString()
        .contains("[trace=0af7651916cd43dd8448eb211c80319c request=-]")
        .contains("readable")
        .doesNotStartWith("{");
  }

  private void initialize(MockEnvironment environment, String file) {
    system.beforeInitialize();
    system.initialize(
        new LoggingInitializationContext(environment),
        "classpath:dev/plimsoll/ops/spring/" + file,
        null);
  }

  /** What the context writes to standard output while {@code logging} runs; stops the context. */
  private List<String> stdout(Runnable logging) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      logging.run();
      context.stop(); // the worker writes every queued event before it stops
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(LOGGER)).toList();
  }
}
