package dev.plimsoll.ops.servlet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.plimsoll.ops.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests on a real Jetty while the OTLP collector is healthy, answers 500 or 429, hangs, or is
 * down: every request succeeds without waiting for the exporter, the span queue stays bounded, and
 * the lost spans are counted by reason and logged once per reason. Each case prints its request
 * latencies next to the healthy baseline for docs/reliability.md.
 */
class CollectorFaultsIT {

  private static final int THREADS = 4;
  private static final int REQUESTS_PER_THREAD = 400;
  private static final String DROPPED = "ops_tracing_spans_dropped_total";

  /** Far below the hanging collector's delay, so a request that waited would show it. */
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(2);

  private static final Map<String, String> SETTINGS =
      Map.of(
          "otel.exporter.otlp.timeout", Long.toString(EXPORT_TIMEOUT.toMillis()),
          "otel.experimental.exporter.otlp.retry.enabled", "false",
          "ops.access-log.enabled", "false");

  private static final java.util.logging.Logger OTEL_LOGGER =
      java.util.logging.Logger.getLogger("io.opentelemetry");
  private static final List<String> EXPORTER_RECORDS = new CopyOnWriteArrayList<>();

  private static Latencies healthy;

  @BeforeAll
  static void baseline() throws Exception {
    // Whatever OpenTelemetry's own exporters log would reach the log besides Plimsoll's one line.
    OTEL_LOGGER.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLoggerName() != null
                && record.getLoggerName().startsWith("io.opentelemetry.exporter")) {
              EXPORTER_RECORDS.add(record.getLoggerName() + ": " + record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    run("healthy, warming up the JIT", app -> {});
    healthy = run("healthy", app -> {}).latencies;
  }

  @Test
  void aCollectorAnswering500CostsNoRequestAnything() throws Exception {
    Outcome outcome = run("answering 500", collectorAnswers(aResponse().withStatus(500)));
    assertFaultAbsorbed(outcome);
  }

  @Test
  void aCollectorAnswering429CostsNoRequestAnything() throws Exception {
    Outcome outcome = run("answering 429", collectorAnswers(aResponse().withStatus(429)));
    assertFaultAbsorbed(outcome);
  }

  @Test
  void aHangingCollectorHoldsNoRequest() throws Exception {
    Outcome outcome =
        run("hanging", collectorAnswers(aResponse().withStatus(200).withFixedDelay(30_000)));
    assertFaultAbsorbed(outcome);
  }

  @Test
  void aCollectorThatIsDownCostsNoRequestAnything() throws Exception {
    Outcome outcome = run("down (connection refused)", app -> app.otlp.server().stop());
    assertFaultAbsorbed(outcome);
  }

  private static Consumer<TestApp> collectorAnswers(ResponseDefinitionBuilder response) {
    return app -> app.otlp.server().stubFor(post(anyUrl()).willReturn(response));
  }

  private static void assertFaultAbsorbed(Outcome outcome) {
    assertThat(outcome.failures).as("requests that failed").isZero();
    // A request that waited for the exporter would take its timeout (or the hang): bounded at the
    // 99th percentile, not the slowest of 1,600, which a loaded machine alone can push past it.
    assertThat(outcome.latencies.p99Millis())
        .as("99th percentile (ms); the exporter's timeout is %d ms", EXPORT_TIMEOUT.toMillis())
        .isLessThan(EXPORT_TIMEOUT.toMillis() / 2);
    assertThat(outcome.droppedByReason.values().stream().mapToDouble(Double::doubleValue).sum())
        .as("spans dropped and counted")
        .isPositive();
    assertThat(outcome.plimsollWarnings)
        .as("Plimsoll's warnings about lost spans: at most one per reason")
        .isBetween(1L, 2L);
    assertThat(EXPORTER_RECORDS)
        .as("the exporter's own log records, one per failed export")
        .isEmpty();
  }

  /** Serves the load with the collector in the state {@code fault} puts it in. */
  private static Outcome run(String name, Consumer<TestApp> fault) throws Exception {
    try (TestApp app = new TestApp(SETTINGS)) {
      fault.accept(app);
      ExecutorService clients = Executors.newFixedThreadPool(THREADS);
      List<Future<long[]>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        results.add(
            clients.submit(
                () -> {
                  long[] micros = new long[REQUESTS_PER_THREAD];
                  for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                    long start = System.nanoTime();
                    int status = app.get("/orders/" + i).statusCode();
                    long took = (System.nanoTime() - start) / 1_000;
                    micros[i] = status == 200 ? took : -1;
                  }
                  return micros;
                }));
      }
      List<Long> all = new ArrayList<>();
      int failures = 0;
      for (Future<long[]> result : results) {
        for (long micros : result.get(2, TimeUnit.MINUTES)) {
          if (micros < 0) {
            failures++;
          } else {
            all.add(micros);
          }
        }
      }
      clients.shutdown();
      Map<String, Double> dropped =
          name.startsWith("healthy")
              ? Map.of()
              : Await.until(
                  "lost spans counted",
                  Duration.ofSeconds(20),
                  () -> {
                    Map<String, Double> byReason = droppedByReason(app);
                    return byReason.values().stream().anyMatch(v -> v > 0) ? byReason : null;
                  });
      long warnings =
          app.logs.json().stream()
              .filter(line -> String.valueOf(line.get("logger")).endsWith("SpanExportFailures"))
              .count();
      Latencies latencies = Latencies.of(all);
      System.out.printf(
          "collector %s: %d requests, %d failed; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms"
              + " (healthy: p50 %.2f, p99 %.2f, max %.2f); spans dropped %s; %d warning(s)%n",
          name,
          all.size() + failures,
          failures,
          latencies.p50 / 1000.0,
          latencies.p99 / 1000.0,
          latencies.maxMicros / 1000.0,
          healthy == null ? latencies.p50 / 1000.0 : healthy.p50 / 1000.0,
          healthy == null ? latencies.p99 / 1000.0 : healthy.p99 / 1000.0,
          healthy == null ? latencies.maxMicros / 1000.0 : healthy.maxMicros / 1000.0,
          dropped,
          warnings);
      if (name.startsWith("healthy")) {
        assertThat(failures).isZero();
        assertThat(droppedByReason(app).values()).allMatch(v -> v == 0);
      }
      return new Outcome(latencies, failures, dropped, warnings);
    }
  }

  private static Map<String, Double> droppedByReason(TestApp app) {
    try {
      var scrape = app.scrape();
      return Map.of(
          "export", scrape.sum(DROPPED, Map.of("reason", "export")),
          "queue_full", scrape.sum(DROPPED, Map.of("reason", "queue_full")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private record Outcome(
      Latencies latencies,
      int failures,
      Map<String, Double> droppedByReason,
      long plimsollWarnings) {}

  /** Request latencies in microseconds. */
  private record Latencies(long p50, long p99, long maxMicros) {
    static Latencies of(List<Long> micros) {
      List<Long> sorted = new ArrayList<>(micros);
      Collections.sort(sorted);
      return new Latencies(
          sorted.get(sorted.size() / 2),
          sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
          sorted.get(sorted.size() - 1));
    }

    long p99Millis() {
      return p99 / 1000;
    }
  }
}
