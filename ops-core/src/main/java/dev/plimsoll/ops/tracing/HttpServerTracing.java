package dev.plimsoll.ops.tracing;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.http.HttpMethods;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.jspecify.annotations.Nullable;

/**
 * SERVER spans for HTTP requests, with the attributes of the OpenTelemetry HTTP semantic
 * conventions. The parent comes from the request's {@code traceparent} and {@code tracestate}; a
 * malformed or oversized one starts a new trace.
 */
public final class HttpServerTracing {

  static final AttributeKey<String> HTTP_REQUEST_METHOD =
      AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final int MAX_ATTRIBUTE_LENGTH = 1024;

  private final Tracing tracing;

  /** Creates SERVER spans with {@code tracing}'s tracer and propagators. */
  public HttpServerTracing(Tracing tracing) {
    this.tracing = requireNonNull(tracing, "tracing");
  }

  /**
   * Starts a SERVER span whose parent is read from {@code carrier}.
   *
   * @return the context holding the new span, to make current for the request
   */
  public <C> Context start(
      C carrier,
      TextMapGetter<C> getter,
      String method,
      String scheme,
      String path,
      String serverAddress,
      int serverPort,
      String clientAddress,
      @Nullable String userAgent) {
    Context parent = tracing.propagator().extract(Context.root(), carrier, getter);
    String normalized = HttpMethods.normalize(method);
    SpanBuilder builder =
        tracing
            .tracer()
            .spanBuilder(normalized.equals(HttpMethods.OTHER) ? "HTTP" : normalized)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HTTP_REQUEST_METHOD, normalized)
            .setAttribute(URL_PATH, truncate(path))
            .setAttribute(URL_SCHEME, scheme)
            .setAttribute(SERVER_ADDRESS, truncate(serverAddress))
            .setAttribute(SERVER_PORT, (long) serverPort)
            .setAttribute(CLIENT_ADDRESS, clientAddress);
    if (normalized.equals(HttpMethods.OTHER)) {
      builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, truncate(method));
    }
    if (userAgent != null) {
      builder.setAttribute(USER_AGENT, truncate(userAgent));
    }
    return parent.with(builder.startSpan());
  }

  /**
   * Names the span after its route, records the outcome and ends it.
   *
   * @param errorType the error type recorded in metrics, empty for none
   * @param failure the exception the application threw, or {@code null}
   */
  public void end(
      Context context,
      String method,
      String route,
      int status,
      String errorType,
      @Nullable Throwable failure) {
    Span span = Span.fromContext(context);
    if (!span.isRecording()) {
      span.end();
      return;
    }
    String normalized = HttpMethods.normalize(method);
    span.updateName((normalized.equals(HttpMethods.OTHER) ? "HTTP" : normalized) + " " + route);
    span.setAttribute(HTTP_ROUTE, route);
    span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
    if (!errorType.isEmpty()) {
      span.setAttribute(ERROR_TYPE, errorType);
    }
    if (failure != null) {
      span.recordException(failure);
    }
    if (status >= 500 || (failure != null && status < 400)) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  private static String truncate(String value) {
    return value.length() <= MAX_ATTRIBUTE_LENGTH
        ? value
        : value.substring(0, MAX_ATTRIBUTE_LENGTH);
  }
}
