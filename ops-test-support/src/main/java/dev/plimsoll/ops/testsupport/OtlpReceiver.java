package dev.plimsoll.ops.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A WireMock server on loopback that accepts OTLP/HTTP trace exports and decodes them. */
public final class OtlpReceiver implements AutoCloseable {

  /** A received span with its resource attributes and its instrumentation scope's name. */
  public record ReceivedSpan(Span span, List<KeyValue> resource, String scope) {
    /** The trace ID as lower-case hex. */
    public String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    /** The span ID as lower-case hex. */
    public String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    /** The parent span ID as lower-case hex, empty for a root span. */
    public String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    /** A span attribute rendered as text, or {@code null}. */
    public @Nullable String attribute(String key) {
      return find(span.getAttributesList(), key);
    }

    /** A resource attribute rendered as text, or {@code null}. */
    public @Nullable String resourceAttribute(String key) {
      return find(resource, key);
    }

    private static @Nullable String find(List<KeyValue> attributes, String key) {
      for (KeyValue kv : attributes) {
        if (kv.getKey().equals(key)) {
          var v = kv.getValue();
          return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString();
          };
        }
      }
      return null;
    }
  }

  private final WireMockServer server;

  private OtlpReceiver(int port) {
    server =
        new WireMockServer(
            port == 0
                ? options().bindAddress("127.0.0.1").dynamicPort()
                : options().bindAddress("127.0.0.1").port(port));
    server.start();
    server.stubFor(
        post(urlEqualTo("/v1/traces"))
            .willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/x-protobuf")));
  }

  /** Starts a receiver on a free loopback port. */
  public static OtlpReceiver start() {
    return new OtlpReceiver(0);
  }

  /**
   * Starts a receiver on {@code port} of loopback, such as OTLP/HTTP's default 4318, or returns
   * {@code null} when that port is taken.
   */
  public static @Nullable OtlpReceiver startOnPortIfFree(int port) {
    try {
      return new OtlpReceiver(port);
    } catch (RuntimeException taken) {
      return null;
    }
  }

  /** The base URL to use as {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The WireMock server, to stub failures. */
  public WireMockServer server() {
    return server;
  }

  /** Every span received so far, decoded. */
  public List<ReceivedSpan> spans() {
    List<ReceivedSpan> spans = new ArrayList<>();
    for (LoggedRequest request : server.findAll(postRequestedFor(urlEqualTo("/v1/traces")))) {
      ExportTraceServiceRequest export;
      try {
        export = ExportTraceServiceRequest.parseFrom(request.getBody());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("Malformed OTLP export", e);
      }
      for (ResourceSpans rs : export.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            spans.add(
                new ReceivedSpan(
                    span, rs.getResource().getAttributesList(), ss.getScope().getName()));
          }
        }
      }
    }
    return spans;
  }

  /**
   * The one SERVER span whose {@code url.path} is {@code path}.
   *
   * @throws AssertionError if there is none, or its trace has another SERVER span
   */
  public ReceivedSpan onlyServerSpan(String path) {
    List<ReceivedSpan> spans = spans();
    List<ReceivedSpan> servers =
        spans.stream()
            .filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)
            .filter(s -> path.equals(s.attribute("url.path")))
            .toList();
    if (servers.isEmpty()) {
      throw new AssertionError("No SERVER span of " + path + " among " + spans);
    }
    String traceId = servers.get(0).traceId();
    List<ReceivedSpan> inTrace =
        spans.stream()
            .filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)
            .filter(s -> s.traceId().equals(traceId))
            .toList();
    if (servers.size() > 1 || inTrace.size() > 1) {
      throw new AssertionError(
          "More than one SERVER span for " + path + ": " + servers + " in trace " + inTrace);
    }
    return servers.get(0);
  }

  @Override
  public void close() {
    server.stop();
  }
}
