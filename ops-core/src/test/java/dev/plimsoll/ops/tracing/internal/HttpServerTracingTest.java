package dev.plimsoll.ops.tracing.internal;

import static io.opentelemetry.semconv.HttpAttributes.HTTP_RESPONSE_STATUS_CODE;
import static io.opentelemetry.semconv.ServerAttributes.SERVER_PORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.http.internal.HttpMethods;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.tracing.CollectingSpanExporter;
import dev.plimsoll.ops.tracing.Tracing;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Span names and values built once and reused: every span still says its own request. */
class HttpServerTracingTest {

  private static final TextMapGetter<Object> NO_HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Object carrier) {
          return List.of();
        }

        @Override
        public @Nullable String get(@Nullable Object carrier, String key) {
          return null;
        }
      };

  private final CollectingSpanExporter exporter = new CollectingSpanExporter();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private final HttpServerTracing http = new HttpServerTracing(Tracing.of(sdk));

  @AfterEach
  void tearDown() {
    sdk.close();
  }

  private SpanData request(String method, int port, String route, int status) {
    exporter.spans().clear();
    Context context =
        http.start(
            new Object(),
            NO_HEADERS,
            RequestFacts.of(method, "http", "/x", "localhost", port, "127.0.0.1", null));
    http.end(context, method, route, status, "", null);
    return exporter.spans().get(0);
  }

  @Test
  void eachMethodAndRouteGetsItsOwnNameAndEachSpanItsOwnStatusAndPort() {
    assertThat(request("GET", 8080, "/a", 200).getName()).isEqualTo("GET /a");
    assertThat(request("POST", 8080, "/a", 201).getName()).isEqualTo("POST /a");
    assertThat(request("GET", 8080, "/b", 404).getName()).isEqualTo("GET /b");
    assertThat(request("BREW", 8080, "/a", 200).getName()).isEqualTo("HTTP /a");
    assertThat(request("GET", 8080, "/a", 200).getName()).isEqualTo("GET /a");

    SpanData first = request("GET", 8080, "/a", 503);
    assertThat(first.getAttributes().get(HTTP_RESPONSE_STATUS_CODE)).isEqualTo(503L);
    assertThat(first.getAttributes().get(SERVER_PORT)).isEqualTo(8080L);
    SpanData other = request("GET", 9090, "/a", 200);
    assertThat(other.getAttributes().get(HTTP_RESPONSE_STATUS_CODE)).isEqualTo(200L);
    assertThat(other.getAttributes().get(SERVER_PORT)).isEqualTo(9090L);
    assertThat(request("GET", 8080, "/a", 799).getAttributes().get(HTTP_RESPONSE_STATUS_CODE))
        .isEqualTo(799L);
    assertThat(request("GET", 8080, "/a", 200).getAttributes().get(SERVER_PORT)).isEqualTo(8080L);
  }

  @Test
  void routesBeyondTheCachedOnesAreStillNamedRight() {
    for (int i = 0; i < 1_500; i++) {
      assertThat(request(i % 2 == 0 ? "GET" : "PUT", 8080, "/r" + i, 200).getName())
          .isEqualTo((i % 2 == 0 ? "GET" : "PUT") + " /r" + i);
    }
  }

  @Test
  void everyNormalizedMethodHasItsOwnIndex() {
    Set<Integer> indexes = new HashSet<>();
    for (String method :
        List.of(
            "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY",
            "BREW")) {
      int index = HttpMethods.indexOf(HttpMethods.normalize(method));
      assertThat(index).isBetween(0, HttpMethods.COUNT - 1);
      indexes.add(index);
    }
    assertThat(indexes).hasSize(HttpMethods.COUNT);
  }
}
