package dev.plimsoll.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.logging.internal.AccessLog;
import dev.plimsoll.ops.logging.internal.LogCorrelation;
import dev.plimsoll.ops.logging.internal.LogbackSetup;
import dev.plimsoll.ops.testsupport.LogCapture;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("test.logger");

  @Test
  void withoutALogbackXmlPlimsollConfiguresLogging() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(LogbackSetup.isConfiguredByPlimsoll(context)).isTrue();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("PLIMSOLL_ASYNC"))
        .isNotNull();
  }

  @Test
  void aJsonLineCarriesEveryFieldAndStaysOneLine() {
    PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
    encoder.setServiceName("orders");
    encoder.setServiceVersion("2.0");
    encoder.setEnvironment("staging");
    LogCorrelation correlation = new LogCorrelation("traceId", "spanId");
    try (LogCapture capture = LogCapture.attach(encoder)) {
      correlation.put("req-1", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
      LOG.atWarn().addKeyValue("order.id", 42).log("two\nlines", new IllegalStateException("boom"));
      correlation.clear();
      LOG.info("after");
      assertThat(capture.lines()).hasSize(2);
      Map<String, Object> line = capture.json().get(0);
      assertThat(line)
          .containsEntry("message", "two\nlines")
          .containsEntry("level", "WARN")
          .containsEntry("logger", "test.logger")
          .containsEntry("service.name", "orders")
          .containsEntry("service.version", "2.0")
          .containsEntry("deployment.environment", "staging")
          .containsEntry("request_id", "req-1")
          .containsEntry("traceId", "0af7651916cd43dd8448eb211c80319c")
          .containsEntry("spanId", "b7ad6b7169203331")
          .containsEntry("order.id", 42)
          .containsKeys("timestamp", "thread", "stack_trace");
      assertThat((String) line.get("timestamp")).matches("\\d{4}-\\d{2}-\\d{2}T.*");
      assertThat(capture.json().get(1)).doesNotContainKeys("request_id", "traceId", "spanId");
    }
  }

  @Test
  void keyValuesKeepTheirJsonTypesAndServiceFieldsAreEscaped() {
    PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
    encoder.setServiceName("or\"ders\n");
    encoder.setServiceVersion("2.0");
    encoder.setEnvironment("staging");
    try (LogCapture capture = LogCapture.attach(encoder)) {
      LOG.atInfo()
          .addKeyValue("text", "a\"b")
          .addKeyValue("long", 12_345_678_901L)
          .addKeyValue("double", 0.25)
          .addKeyValue("decimal", new java.math.BigDecimal("1.50"))
          .addKeyValue("flag", true)
          .addKeyValue("nothing", (Object) null)
          .addKeyValue("list", java.util.List.of(1, 2))
          .log("typed");
      assertThat(capture.lines()).singleElement().asString().doesNotContain("\n\"");
      assertThat(capture.json().get(0))
          .containsEntry("service.name", "or\"ders\n")
          .containsEntry("text", "a\"b")
          .containsEntry("long", 12_345_678_901L)
          .containsEntry("double", 0.25)
          .containsEntry("flag", true)
          .containsEntry("nothing", null)
          .containsEntry("list", java.util.List.of(1, 2))
          .containsKey("decimal");
    }
  }

  private static RequestFacts request(String method, String path, @Nullable String userAgent) {
    return RequestFacts.of(method, "http", path, "localhost", 8080, "10.0.0.1", userAgent);
  }

  @Test
  void theAccessLogWritesOneEventWithTheRequestFields() {
    PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
    encoder.setServiceName("orders");
    encoder.setServiceVersion("2.0");
    encoder.setEnvironment("staging");
    AccessLog accessLog = new AccessLog(true);
    assertThat(accessLog.isEnabled()).isTrue();
    assertThat(new AccessLog(false).isEnabled()).isFalse();
    try (LogCapture capture = LogCapture.attach(encoder)) {
      accessLog.log(request("GET", "/orders/1", "curl/8"), "/orders/{id}", 200, 1_234_567);
      assertThat(capture.json())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .containsEntry("logger", LogFields.ACCESS_LOGGER)
                      .containsEntry("http.request.method", "GET")
                      .containsEntry("http.route", "/orders/{id}")
                      .containsEntry("url.path", "/orders/1")
                      .containsEntry("http.response.status_code", 200)
                      .containsEntry("duration_ms", 1.235)
                      .containsEntry("client.address", "10.0.0.1")
                      .containsEntry("user_agent.original", "curl/8"));
    }
  }

  @Test
  void theAccessLogHonoursTurboFilters() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var denyAccess =
        new ch.qos.logback.classic.turbo.TurboFilter() {
          @Override
          public ch.qos.logback.core.spi.FilterReply decide(
              org.slf4j.Marker marker,
              Logger logger,
              ch.qos.logback.classic.Level level,
              String format,
              Object[] params,
              Throwable t) {
            return logger.getName().equals(LogFields.ACCESS_LOGGER)
                    && format != null
                    && format.startsWith("DELETE")
                ? ch.qos.logback.core.spi.FilterReply.DENY
                : ch.qos.logback.core.spi.FilterReply.NEUTRAL;
          }
        };
    denyAccess.start();
    AccessLog accessLog = new AccessLog(true);
    try (LogCapture capture = LogCapture.attach(new PlimsollJsonEncoder())) {
      context.addTurboFilter(denyAccess);
      accessLog.log(request("DELETE", "/orders/1", null), "/orders/{id}", 204, 1_000);
      accessLog.log(request("GET", "/orders/2", null), "/orders/{id}", 200, 2_000_000);
      assertThat(capture.json())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .containsEntry("message", "GET /orders/2 200")
                      .containsEntry("url.path", "/orders/2")
                      .containsEntry("duration_ms", 2.0)
                      .containsEntry("http.response.status_code", 200));
    } finally {
      context.getTurboFilterList().remove(denyAccess);
    }
  }

  @Test
  void theTextFormatIsReadableAndCarriesTheIds() {
    LoggerContext context = new LoggerContext();
    OpsSettings settings = OpsSettings.from(ConfigSource.of(Map.of("ops.log.format", "text")));
    LogbackSetup.configure(context, settings, "1.0");
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern("%msg");
    assertThat(LogbackSetup.isConfiguredByPlimsoll(context)).isTrue();
    var async =
        (PlimsollAsyncAppender)
            context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("PLIMSOLL_ASYNC");
    var console =
        (dev.plimsoll.ops.logging.internal.BatchingConsoleOutput)
            async.getAppender("PLIMSOLL_CONSOLE");
    assertThat(console.getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
    String pattern = ((PatternLayoutEncoder) console.getEncoder()).getPattern();
    assertThat(pattern).contains("%X{trace_id").contains("%X{request_id").contains("%kvp");
    context.stop();
  }
}
