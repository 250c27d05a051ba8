package dev.plimsoll.ops.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.tracing.internal.HttpServerTracing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plimsoll beside tracing the application already has: one SDK, one SERVER span per request. */
class ExistingTracingTest {

  private static final TextMapGetter<Map<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final Finished spans = new Finished();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(spans).build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();

  /** The application's SDK: remembers every span that ended. */
  private static final class Finished implements SpanProcessor {
    private final List<SpanData> ended = new CopyOnWriteArrayList<>();

    List<SpanData> getFinishedSpanItems() {
      return List.copyOf(ended);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  @AfterEach
  void tearDown() {
    GlobalOpenTelemetry.resetForTest();
    sdk.close();
  }

  private Context start(HttpServerTracing http, Map<String, String> headers) {
    return http.start(
        headers, HEADERS, RequestFacts.of("GET", "http", "/a", "localhost", 80, "127.0.0.1", null));
  }

  @Test
  void aServerSpanAlreadyCurrentIsTheRequestsSpanAndPlimsollNeitherStartsNorEndsOne() {
    HttpServerTracing http = new HttpServerTracing(Tracing.of(sdk));
    Span server =
        sdk.getTracer("container").spanBuilder("GET").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = server.makeCurrent()) {
      Context context =
          start(
              http,
              Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
      assertThat(Span.fromContext(context).getSpanContext()).isEqualTo(server.getSpanContext());
      http.end(context, "GET", "/a", 200, "", null);
    }
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    server.end();
    assertThat(spans.getFinishedSpanItems())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("GET"));
  }

  @Test
  void anInternalSpanAlreadyCurrentDoesNotStopPlimsollsServerSpan() {
    HttpServerTracing http = new HttpServerTracing(Tracing.of(sdk));
    Span internal = sdk.getTracer("app").spanBuilder("wrapper").startSpan();
    try (Scope ignored = internal.makeCurrent()) {
      Context context = start(http, Map.of());
      http.end(context, "GET", "/a", 200, "", null);
    }
    internal.end();
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).extracting(SpanData::getKind).contains(SpanKind.SERVER);
  }

  @Test
  void withoutACurrentSpanPlimsollStartsAndEndsItsOwnContinuingTheCaller() {
    HttpServerTracing http = new HttpServerTracing(Tracing.of(sdk));
    Context context =
        start(
            http, Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    http.end(context, "GET", "/a", 200, "", null);
    assertThat(spans.getFinishedSpanItems())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo(SpanKind.SERVER);
              assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
              assertThat(s.getParentSpanId()).isEqualTo("b7ad6b7169203331");
              assertThat(s.getName()).isEqualTo("GET /a");
            });
  }

  @Test
  void anOpenTelemetryInstalledGloballyIsUsedAndNoSecondSdkIsBuilt() {
    GlobalOpenTelemetry.set(sdk);
    // An OTEL_* value Plimsoll's own SDK could not honour is the installed SDK's business.
    System.setProperty("otel.traces.exporter", "console");
    try (Plimsoll plimsoll =
        Plimsoll.builder()
            .settings(OpsSettings.from(ConfigSource.of(Map.of("ops.shutdown.hook", "false"))))
            .build()) {
      assertThat(plimsoll.tracing().openTelemetry()).isSameAs(GlobalOpenTelemetry.get());
      Span span = plimsoll.tracing().tracer().spanBuilder("work").startSpan();
      span.end();
      assertThat(spans.getFinishedSpanItems()).hasSize(1);
    } finally {
      System.clearProperty("otel.traces.exporter");
    }
  }
}
