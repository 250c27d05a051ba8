package dev.plimsoll.ops.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.metrics.BuildInfo;
import dev.plimsoll.ops.metrics.MetricNames;
import dev.plimsoll.ops.metrics.PrometheusMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scrape Plimsoll writes is byte for byte the one Micrometer's {@code
 * PrometheusMeterRegistry.scrape} writes for the same registry state: many routes, labels that need
 * escaping, every bucket, exemplars, families whose names sort around the HTTP histogram's, and
 * series that come and go.
 */
class ScrapeWriterTest {

  private static final String TEXT = PrometheusMetrics.TEXT_CONTENT_TYPE;
  private static final String OPENMETRICS = PrometheusMetrics.OPENMETRICS_CONTENT_TYPE;
  private static final int[] STATUSES = {200, 201, 404, 500, 503};

  private PrometheusMeterRegistry registry;
  private PrometheusMetrics metrics;
  private ScrapeWriter writer;
  private HttpServerMetrics http;

  @BeforeEach
  void setUp() {
    registry =
        PrometheusMetrics.newRegistry(
            "svc \"quoted\" \\ name",
            "prod\nnewline",
            new BuildInfo("1.0.0", "abc123", "17"),
            new SampledSpans());
    // No JVM meters: their values move between two scrapes.
    metrics = PrometheusMetrics.of(registry, new BuildInfo("1.0.0", "abc123", "17"), false);
    Properties properties = new Properties();
    properties.setProperty("io.prometheus.exporter.exemplarsOnAllMetricTypes", "false");
    writer =
        Objects.requireNonNull(
            ScrapeWriter.of(registry, properties, MetricNames.HTTP_SERVER_REQUEST_DURATION));
    http = new HttpServerMetrics(registry, 10_000, List.of(Duration.ofMillis(300)));
    // Families whose names sort before, between and after the histogram and its _max.
    Counter.builder("aaa.requests").register(registry).increment();
    Gauge.builder("http.server.request.duration.seconds.a", () -> 42.5).register(registry);
    Counter.builder("zzz.events").register(registry).increment(3);
  }

  @AfterEach
  void tearDown() {
    metrics.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {TEXT, OPENMETRICS})
  void manyRoutesAreWrittenAsTheClientWritesThem(String contentType) throws IOException {
    record(300);
    assertSameScrape(contentType); // the first scrape goes through the client and finds the family
    assertThat(writer.writesHttpFamily()).isTrue();
    assertSameScrape(contentType);
    record(350); // new series: sorted in among the others
    assertSameScrape(contentType);
    assertSameScrape(TEXT.equals(contentType) ? OPENMETRICS : TEXT);
  }

  @Test
  void exemplarsAndEveryBucketIncludingInfinity() throws IOException {
    long[] millis = {
      1, 5, 7, 10, 20, 60, 80, 200, 300, 301, 600, 900, 2000, 4000, 6000, 9000, 20_000
    };
    for (long ms : millis) {
      http.requestStarted();
      http.requestFinished("POST", "/orders/{id}", 201, MetricNames.NO_ERROR, ms * 1_000_000L);
    }
    assertSameScrape(OPENMETRICS);
    assertSameScrape(OPENMETRICS);
    assertThat(writer.writesHttpFamily()).isTrue();
    assertThat(HttpDurationFamily.readsExemplars()).isTrue();
    assertThat(scrape(OPENMETRICS)).contains("trace_id=\"");
    assertSameScrape(TEXT);
  }

  @Test
  void labelsThatNeedEscapingAndUnusualMethods() throws IOException {
    String[] routes = {"/a\"b", "/c\\d", "/e\nf", "/ü/{id}", "/😀", "UNMATCHED", "OTHER"};
    String[] methods = {"GET", "PATCH", "BREW", "delete"};
    for (String route : routes) {
      for (String method : methods) {
        http.requestStarted();
        http.requestFinished(method, route, 500, "java.lang.IllegalStateException", 3_000_000L);
      }
    }
    for (int i = 0; i < 2; i++) {
      assertSameScrape(TEXT);
      assertSameScrape(OPENMETRICS);
    }
    assertThat(writer.writesHttpFamily()).isTrue();
  }

  @Test
  void seriesRemovedAndTheFamilyGoneAndBack() throws IOException {
    record(20);
    assertSameScrape(TEXT);
    assertSameScrape(TEXT);
    List<Meter> timers =
        registry.getMeters().stream()
            .filter(m -> m.getId().getName().equals(MetricNames.HTTP_SERVER_REQUEST_DURATION))
            .toList();
    registry.remove(timers.get(3));
    assertSameScrape(TEXT);
    assertSameScrape(OPENMETRICS);
    timers.forEach(registry::remove); // Micrometer unregisters the family's collector
    assertSameScrape(TEXT);
    assertThat(scrape(TEXT)).doesNotContain("http_server_request_duration_seconds_bucket");
    // New timers (the old instance would keep recording into the removed ones): a new collector.
    // The active-requests gauge stays the old instance's (Micrometer keeps the first registration
    // and holds its object weakly): kept reachable, so that no GC between the two scrapes compared
    // turns it from 0 into NaN in one of them.
    HttpServerMetrics first = http;
    http = new HttpServerMetrics(registry, 10_000, List.of(Duration.ofMillis(300)));
    record(5);
    assertSameScrape(TEXT);
    assertSameScrape(TEXT);
    assertThat(writer.writesHttpFamily()).isTrue();
    assertSameScrape(OPENMETRICS);
    Reference.reachabilityFence(first);
  }

  @Test
  void plimsollsScrapeIsTheRegistrysScrape() throws IOException {
    record(50);
    for (int i = 0; i < 2; i++) {
      assertThat(metrics.scrape(null)).isEqualTo(registry.scrape(TEXT));
      assertThat(metrics.scrape("application/openmetrics-text"))
          .isEqualTo(registry.scrape(OPENMETRICS));
    }
  }

  private void record(int routes) {
    for (int route = 0; route < routes; route++) {
      for (int status : STATUSES) {
        http.requestStarted();
        http.requestFinished(
            "GET",
            "/api/resource" + route + "/{id}",
            status,
            status >= 500 ? Integer.toString(status) : MetricNames.NO_ERROR,
            (route % 40) * 250_000_000L + status);
      }
    }
  }

  private void assertSameScrape(String contentType) throws IOException {
    String ours = scrape(contentType);
    String micrometers = registry.scrape(contentType);
    assertThat(ours).isEqualTo(micrometers);
  }

  private String scrape(String contentType) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.scrape(contentType, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A current span that is always sampled, with a new span ID each time it is asked. */
  private static final class SampledSpans implements SpanContext {
    private final AtomicLong next = new AtomicLong(1);

    @Override
    public @Nullable String getCurrentTraceId() {
      return "4bf92f3577b34da6a3ce929d0e0e4736";
    }

    @Override
    public @Nullable String getCurrentSpanId() {
      return String.format("%016x", next.getAndIncrement());
    }

    @Override
    public boolean isCurrentSpanSampled() {
      return true;
    }

    @Override
    public void markCurrentSpanAsExemplar() {}
  }
}
