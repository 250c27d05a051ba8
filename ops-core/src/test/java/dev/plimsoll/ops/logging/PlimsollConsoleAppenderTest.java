package dev.plimsoll.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.logging.internal.BatchingConsoleOutput;
import dev.plimsoll.ops.logging.internal.LogbackSetup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/**
 * The pipeline Plimsoll configures in code and the one a logback.xml gets by naming {@link
 * PlimsollConsoleAppender} (or including {@code json-appender.xml}) are the same: same appenders,
 * same lines on standard output.
 */
class PlimsollConsoleAppenderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOGGER = "console.appender.test";

  @Test
  void theDocumentedIncludeWritesTheSameJsonLinesAsPlimsollsOwnConfiguration() throws Exception {
    LoggerContext fromXml = context();
    configure(
        fromXml,
        """
        <configuration>
          <include resource="dev/plimsoll/ops/logging/json-appender.xml"/>
          <root level="INFO"><appender-ref ref="PLIMSOLL_JSON"/></root>
        </configuration>
        """);
    LoggerContext fromCode = context();
    // What the include reads: the OPS_* settings of this process.
    var reporter = new ch.qos.logback.core.spi.ContextAwareBase();
    reporter.setContext(fromCode);
    OpsSettings settings = LogbackSetup.settingsOrDefaults(reporter);
    String version = settings.serviceVersion() != null ? settings.serviceVersion() : "unknown";
    LogbackSetup.configure(fromCode, settings, version);
    List<String> xmlShape =
        shape(fromXml.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("PLIMSOLL_JSON"));
    List<String> codeShape =
        shape(fromCode.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("PLIMSOLL_ASYNC"));

    Map<String, Object> xmlLine = single(stdout(fromXml, log -> log.warn("hello {}", "xml")));
    Map<String, Object> codeLine = single(stdout(fromCode, log -> log.warn("hello {}", "xml")));

    assertThat(xmlLine)
        .containsEntry("message", "hello xml")
        .containsEntry("level", "WARN")
        .containsEntry("logger", LOGGER)
        .containsEntry("service.name", settings.serviceName())
        .containsEntry("service.version", version)
        .containsEntry("deployment.environment", settings.environment());
    assertThat(without(xmlLine, "timestamp", "thread"))
        .isEqualTo(without(codeLine, "timestamp", "thread"));
    assertThat(xmlShape)
        .isEqualTo(codeShape)
        .isEqualTo(
            List.of(
                PlimsollConsoleAppender.class.getName(),
                "PLIMSOLL_CONSOLE",
                BatchingConsoleOutput.class.getName(),
                PlimsollJsonEncoder.class.getName()));
  }

  @Test
  void theTextFormatNamedInXmlShowsTheConfiguredTraceIdField() throws Exception {
    LoggerContext fromXml = context();
    configure(
        fromXml,
        """
        <configuration>
          <appender name="PLIMSOLL_ASYNC" class="dev.plimsoll.ops.logging.PlimsollConsoleAppender">
            <format>text</format>
            <traceIdField>traceId</traceIdField>
          </appender>
          <root level="INFO"><appender-ref ref="PLIMSOLL_ASYNC"/></root>
        </configuration>
        """);
    LoggerContext fromCode = context();
    LogbackSetup.configure(
        fromCode,
        OpsSettings.from(
            ConfigSource.of(Map.of("ops.log.format", "text", "ops.log.trace-id-field", "traceId"))),
        "1.0");
    String codePattern = pattern(fromCode, "PLIMSOLL_ASYNC");
    fromCode.stop();
    assertThat(pattern(fromXml, "PLIMSOLL_ASYNC")).isEqualTo(codePattern);

    List<String> lines =
        stdout(
            fromXml,
            log -> {
              fromXml.getMDCAdapter().put("traceId", "0af7651916cd43dd8448eb211c80319c");
              log.atInfo().addKeyValue("order.id", 42).log("readable");
            });

    assertThat(lines)
        .singleElement()
        .asString()
        .contains("INFO ")
        .contains(LOGGER)
        .contains("[trace=0af7651916cd43dd8448eb211c80319c request=-]")
        .contains("readable")
        .contains("order.id=\"42\"");
  }

  @Test
  void anUnknownFormatIsReportedAndWritesJson() throws Exception {
    LoggerContext context = context();
    configure(
        context,
        """
        <configuration>
          <appender name="OUT" class="dev.plimsoll.ops.logging.PlimsollConsoleAppender">
            <format>yaml</format>
          </appender>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);

    assertThat(single(stdout(context, log -> log.info("still json"))))
        .containsEntry("message", "still json");
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anyMatch(status -> status.getMessage().contains("Unknown log format [yaml]"));
  }

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  private static void configure(LoggerContext context, String xml) throws JoranException {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** What {@code context} writes to standard output while {@code logging} runs, then stops it. */
  private static List<String> stdout(LoggerContext context, Consumer<Logger> logging) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      logging.accept(context.getLogger(LOGGER));
      context.stop(); // the worker writes every queued event before it stops
    } finally {
      System.setOut(original);
    }
    // Other contexts (the test JVM's own) may write to standard output meanwhile.
    return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(LOGGER)).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> single(List<String> lines) {
    assertThat(lines).hasSize(1);
    return JSON.readValue(lines.get(0), Map.class);
  }

  private static Map<String, Object> without(Map<String, Object> line, String... keys) {
    Map<String, Object> copy = new java.util.TreeMap<>(line);
    for (String key : keys) {
      copy.remove(key);
    }
    return copy;
  }

  /** The appender's class, its output's name and class, and the output's encoder's class. */
  private static List<String> shape(ch.qos.logback.core.Appender<ILoggingEvent> appender) {
    var async = (PlimsollAsyncAppender) appender;
    var output = (BatchingConsoleOutput) async.iteratorForAppenders().next();
    return List.of(
        async.getClass().getName(),
        output.getName(),
        output.getClass().getName(),
        output.getEncoder().getClass().getName());
  }

  private static String pattern(LoggerContext context, String name) {
    var async =
        (PlimsollAsyncAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(name);
    var output = (BatchingConsoleOutput) async.getAppender("PLIMSOLL_CONSOLE");
    return ((PatternLayoutEncoder) output.getEncoder()).getPattern();
  }
}
