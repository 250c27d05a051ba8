package dev.plimsoll.ops.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.status.Status;
import dev.plimsoll.ops.logging.PlimsollAsyncAppender;
import dev.plimsoll.ops.testsupport.JavaProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.logback.LogbackLoggingSystem;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.ObjectMapper;

/**
 * The starter's logback files built in code: the same logback tree and the same lines as Spring
 * Boot's own logging system makes of the files with Joran, without loading Joran; any other file is
 * still Joran's.
 */
class PlimsollLogbackLoggingSystemTest {

  private static final String LOGGER = "starter.logback.code.test";
  private static final ClassLoader LOADER = PlimsollLogbackLoggingSystemTest.class.getClassLoader();

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restoreTheTestJvmsLogging() throws Exception {
    LoggingSystem.get(LOADER).cleanUp();
    context.reset();
    context.getStatusManager().clear();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void springBootUsesItWhereItWouldUseLogback() {
    assertThat(LoggingSystem.get(LOADER)).isInstanceOf(PlimsollLogbackLoggingSystem.class);
  }

  @ParameterizedTest
  @EnumSource(StarterLogback.class)
  void eachStarterFileBuiltInCodeIsTheTreeAndTheLinesJoranMakesOfIt(StarterLogback file)
      throws Exception {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("ops.service.name", " orders ")
            .withProperty("ops.service.version", "2.0-ü")
            .withProperty("ops.log.trace-id-field", "traceId");

    LogbackLoggingSystem joran = new LogbackLoggingSystem(LOADER);
    initialize(joran, environment, file);
    Map<String, Object> parsed = tree();
    List<String> parsedLines = lines(file);
    joran.cleanUp();
    context.getStatusManager().clear();

    LoggingSystem code = new PlimsollLogbackLoggingSystem(LOADER);
    initialize(code, environment, file);
    Map<String, Object> built = tree();
    List<String> builtLines = lines(file);
    code.cleanUp();

    assertThat(parsed).containsKey("logger ROOT");
    assertThat(built).isEqualTo(parsed);
    assertThat(builtLines).hasSize(1).isEqualTo(parsedLines);
  }

  @Test
  void theDefaultsOfTheFilesWhenNoPropertyIsSet() {
    LoggingSystem code = new PlimsollLogbackLoggingSystem(LOADER);
    initialize(code, new MockEnvironment(), StarterLogback.JSON);
    assertThat(context.getCopyOfPropertyMap())
        .containsEntry("PLIMSOLL_SERVICE_NAME", "unknown_service:java")
        .containsEntry("PLIMSOLL_SERVICE_VERSION", "unknown")
        .containsEntry("PLIMSOLL_ENVIRONMENT", "development");
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void springBootsLevelsStillApplyAfterTheCodeConfiguration() {
    LoggingSystem code = new PlimsollLogbackLoggingSystem(LOADER);
    initialize(code, new MockEnvironment(), StarterLogback.JSON);
    code.setLogLevel(LOGGER, LogLevel.DEBUG);
    code.setLogLevel(null, LogLevel.WARN);
    assertThat(context.getLogger(LOGGER).getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
    assertThat(code.getLoggerConfiguration(LOGGER).getConfiguredLevel()).isEqualTo(LogLevel.DEBUG);
  }

  @Test
  void anyOtherFileIsStillParsedByJoranWithSpringProperties(@TempDir Path dir) throws Exception {
    Path own = dir.resolve("own-logback.xml");
    Files.writeString(
        own,
        """
        <configuration>
          <springProperty scope="context" name="MINE" source="my.value"/>
          <appender name="MY_APPENDER" class="ch.qos.logback.core.read.ListAppender"/>
          <root level="WARN"><appender-ref ref="MY_APPENDER"/></root>
        </configuration>
        """);
    LoggingSystem code = new PlimsollLogbackLoggingSystem(LOADER);
    code.beforeInitialize();
    code.initialize(
        new LoggingInitializationContext(new MockEnvironment().withProperty("my.value", "42")),
        own.toUri().toString(),
        null);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("MY_APPENDER")).isNotNull();
    assertThat(root.getAppender("PLIMSOLL_ASYNC")).isNull();
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getProperty("MINE")).isEqualTo("42");
  }

  @Test
  void theStarterFilesLoadNeitherJoranNorAnXmlParser(@TempDir Path dir) throws Exception {
    Path withCode = dir.resolve("code.log");
    Path withJoran = dir.resolve("joran.log");
    run(withCode, List.of());
    // The control: Spring Boot's own logging system, chosen by its system property, parses them.
    run(
        withJoran,
        List.of("-D" + LoggingSystem.SYSTEM_PROPERTY + "=" + LogbackLoggingSystem.class.getName()));

    assertThat(joranOrXml(withJoran)).isNotEmpty();
    assertThat(joranOrXml(withCode)).isEmpty();
  }

  private static void run(Path classLog, List<String> jvmArgs) throws Exception {
    List<String> args = new ArrayList<>(jvmArgs);
    args.add("-Xlog:class+load=info:file=" + classLog);
    try (JavaProcess child =
        JavaProcess.startMain(args, StartWithTheJsonFile.class, Map.of(), List.of())) {
      assertThat(child.waitFor(Duration.ofMinutes(2))).as("%s", child.stderr()).isZero();
      assertThat(child.stdoutJson())
          .anySatisfy(line -> assertThat(line).containsEntry("message", "configured"));
    }
  }

  /**
   * The classes that parse a file: the XML parser, Joran's SAX events, actions and model
   * processors. (Linking Spring Boot's logging system loads Joran's configurator classes to verify
   * its code, so those are no sign of a parse.)
   */
  private static List<String> joranOrXml(Path classLog) throws Exception {
    return Files.readAllLines(classLog).stream()
        .filter(
            line ->
                line.contains(" javax.xml.parsers.")
                    || line.contains(" com.sun.org.apache.xerces.")
                    || line.contains(" ch.qos.logback.core.joran.event.")
                    || line.contains(" ch.qos.logback.core.joran.action.")
                    || line.contains(" ch.qos.logback.core.model.processor.")
                    || line.contains(" org.springframework.boot.logging.logback.SpringProperty"))
        .toList();
  }

  /** A child JVM's start: Spring Boot's logging system loads the starter's JSON file. */
  static final class StartWithTheJsonFile {
    public static void main(String[] args) {
      LoggingSystem system = LoggingSystem.get(StartWithTheJsonFile.class.getClassLoader());
      system.beforeInitialize();
      system.initialize(
          new LoggingInitializationContext(new StandardEnvironment()),
          StarterLogback.JSON.location(),
          null);
      LoggerFactory.getLogger(StartWithTheJsonFile.class).info("configured");
      ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
  }

  private static void initialize(
      LoggingSystem system, ConfigurableEnvironment environment, StarterLogback file) {
    system.beforeInitialize();
    system.initialize(new LoggingInitializationContext(environment), file.location(), null);
  }

  /** What a configuration leaves in the context that an application could see. */
  private Map<String, Object> tree() {
    Map<String, Object> tree = new TreeMap<>();
    tree.put("properties", new TreeMap<>(context.getCopyOfPropertyMap()));
    tree.put("packaging data", context.isPackagingDataEnabled());
    tree.put("started", context.isStarted());
    tree.put("environment object", context.getObject(Environment.class.getName()) != null);
    tree.put("listeners", classes(context.getCopyOfListenerList()));
    tree.put("turbo filters", classes(context.getTurboFilterList()));
    tree.put("status listeners", classes(context.getStatusManager().getCopyOfStatusListenerList()));
    tree.put(
        "warnings and errors",
        context.getStatusManager().getCopyOfStatusList().stream()
            .filter(status -> status.getLevel() >= Status.WARN)
            .map(Status::getMessage)
            .toList());
    for (Logger logger : context.getLoggerList()) {
      List<Object> appenders = appenders(logger.iteratorForAppenders());
      if (logger.getLevel() != null || !appenders.isEmpty()) {
        tree.put(
            "logger " + logger.getName(),
            List.of(String.valueOf(logger.getLevel()), logger.isAdditive(), appenders));
      }
    }
    return tree;
  }

  private static List<Object> appenders(Iterator<Appender<ILoggingEvent>> appenders) {
    List<Object> described = new ArrayList<>();
    appenders.forEachRemaining(
        appender -> {
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("name", appender.getName());
          one.put("class", appender.getClass().getName());
          one.put("started", appender.isStarted());
          if (appender instanceof PlimsollAsyncAppender async) {
            one.put("queue", async.getQueueSize());
          }
          if (appender instanceof OutputStreamAppender<ILoggingEvent> output) {
            one.put("encoder", output.getEncoder().getClass().getName());
            if (output.getEncoder() instanceof PatternLayoutEncoder pattern) {
              one.put("pattern", pattern.getPattern());
            }
          }
          if (appender instanceof AppenderAttachable<?> attachable) {
            @SuppressWarnings("unchecked")
            Iterator<Appender<ILoggingEvent>> nested =
                ((AppenderAttachable<ILoggingEvent>) attachable).iteratorForAppenders();
            one.put("appenders", appenders(nested));
          }
          described.add(one);
        });
    return described;
  }

  private static List<String> classes(Iterable<?> objects) {
    List<String> names = new ArrayList<>();
    objects.forEach(object -> names.add(object.getClass().getName()));
    return names;
  }

  /**
   * The line one event makes, its time left out: JSON parsed without its timestamp, text without
   * the leading time.
   */
  private List<String> lines(StarterLogback file) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      context.getMDCAdapter().put("traceId", "0af7651916cd43dd8448eb211c80319c");
      context.getMDCAdapter().put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
      try {
        LoggerFactory.getLogger(LOGGER).atWarn().addKeyValue("order", 7).log("hello {}", "you");
      } finally {
        context.getMDCAdapter().remove("traceId");
        context.getMDCAdapter().remove("trace_id");
      }
      context.stop(); // the worker writes every queued event before it stops
    } finally {
      System.setOut(original);
    }
    List<String> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
      if (!line.contains(LOGGER)) {
        continue;
      }
      if (file == StarterLogback.JSON) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = new TreeMap<>(new ObjectMapper().readValue(line, Map.class));
        assertThat(fields.remove("timestamp")).isNotNull();
        lines.add(fields.toString());
      } else {
        lines.add(line.substring(line.indexOf(' ')));
      }
    }
    return lines;
  }
}
