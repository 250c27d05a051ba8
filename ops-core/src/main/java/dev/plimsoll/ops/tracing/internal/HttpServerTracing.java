package dev.plimsoll.ops.tracing.internal;

import static io.opentelemetry.semconv.ClientAttributes.CLIENT_ADDRESS;
import static io.opentelemetry.semconv.ErrorAttributes.ERROR_TYPE;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_REQUEST_METHOD;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_RESPONSE_STATUS_CODE;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_ROUTE;
import static io.opentelemetry.semconv.ServerAttributes.SERVER_ADDRESS;
import static io.opentelemetry.semconv.ServerAttributes.SERVER_PORT;
import static io.opentelemetry.semconv.UrlAttributes.URL_PATH;
import static io.opentelemetry.semconv.UrlAttributes.URL_SCHEME;
import static io.opentelemetry.semconv.UserAgentAttributes.USER_AGENT_ORIGINAL;
import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.http.internal.HttpMethods;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * SERVER spans for HTTP requests, with the attributes of the OpenTelemetry HTTP semantic
 * conventions (the keys are OpenTelemetry's own, from {@code opentelemetry-semconv}). The parent
 * comes from the request's {@code traceparent} and {@code tracestate}; a malformed or oversized one
 * starts a new trace. When the server's own instrumentation (the OpenTelemetry Java agent's)
 * already made a SERVER span current for the request, that span is the request's: Plimsoll starts
 * none, ends none, and its logs and exemplars carry that span's IDs.
 */
public final class HttpServerTracing {

  private static final int MAX_ATTRIBUTE_LENGTH = 1024;

  /** The span Plimsoll started, so that {@link #end} leaves a span it did not start alone. */
  private static final ContextKey<Span> OWN_SPAN = ContextKey.named("dev.plimsoll.ops.server-span");

  /** Status codes as the attribute's boxed values, built once: no allocation per span. */
  private static final Long[] STATUS_VALUES = new Long[600];

  static {
    for (int i = 0; i < STATUS_VALUES.length; i++) {
      STATUS_VALUES[i] = (long) i;
    }
  }

  /** Span names are "METHOD route"; routes are few, so each name is built once per route. */
  private static final int MAX_CACHED_ROUTES = 1024;

  private final Tracing tracing;
  private final ConcurrentMap<String, String[]> spanNames = new ConcurrentHashMap<>();
  // The last server port seen, boxed: a server listens on a few ports, usually one.
  private volatile Long lastPort = 0L;

  /** Creates SERVER spans with {@code tracing}'s tracer and propagators. */
  public HttpServerTracing(Tracing tracing) {
    this.tracing = requireNonNull(tracing, "tracing");
  }

  /**
   * Starts a SERVER span whose parent is read from {@code carrier}, unless a SERVER span is already
   * current (see the class comment).
   *
   * @return the context holding the request's span, to make current for the request
   */
  public <C> Context start(C carrier, TextMapGetter<C> getter, RequestFacts request) {
    Context current = Context.current();
    if (isServerSpan(Span.fromContext(current))) {
      return current;
    }
    Context parent = tracing.propagator().extract(Context.root(), carrier, getter);
    String method = request.method();
    String normalized = HttpMethods.normalize(method);
    SpanBuilder builder =
        tracing
            .tracer()
            .spanBuilder(normalized.equals(HttpMethods.OTHER) ? "HTTP" : normalized)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HTTP_REQUEST_METHOD, normalized)
            .setAttribute(URL_PATH, truncate(request.path()))
            .setAttribute(URL_SCHEME, request.scheme())
            .setAttribute(SERVER_ADDRESS, truncate(request.serverAddress()))
            .setAttribute(SERVER_PORT, port(request.serverPort()))
            .setAttribute(CLIENT_ADDRESS, request.clientAddress());
    if (normalized.equals(HttpMethods.OTHER)) {
      builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, truncate(method));
    }
    String userAgent = request.userAgent();
    if (userAgent != null) {
      builder.setAttribute(USER_AGENT_ORIGINAL, truncate(userAgent));
    }
    Span span = builder.startSpan();
    return parent.with(span).with(OWN_SPAN, span);
  }

  /**
   * Whether the span current when a request arrives is the server's. Only a server's
   * instrumentation runs before the first filter; an SDK span says its kind, the agent's bridged
   * spans do not, and are the agent's server spans.
   */
  private static boolean isServerSpan(Span current) {
    if (!current.getSpanContext().isValid()) {
      return false;
    }
    return !(current instanceof ReadableSpan readable) || readable.getKind() == SpanKind.SERVER;
  }

  /**
   * Names the span after its route, records the outcome and ends it; a span Plimsoll did not start
   * is left to its owner, which names, records and ends it itself.
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
    Span span = context.get(OWN_SPAN);
    if (span == null) {
      return;
    }
    if (!span.isRecording()) {
      span.end();
      return;
    }
    span.updateName(spanName(HttpMethods.normalize(method), route));
    span.setAttribute(HTTP_ROUTE, route);
    span.setAttribute(
        HTTP_RESPONSE_STATUS_CODE,
        status >= 0 && status < STATUS_VALUES.length ? STATUS_VALUES[status] : (long) status);
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

  /** The span's name: the normalized method (or {@code HTTP}) and the route. */
  private String spanName(String normalized, String route) {
    int index = HttpMethods.indexOf(normalized);
    String[] names = spanNames.get(route);
    if (names == null) {
      if (spanNames.size() >= MAX_CACHED_ROUTES) {
        return name(normalized, route);
      }
      names = spanNames.computeIfAbsent(route, r -> new String[HttpMethods.COUNT]);
    }
    String name = names[index];
    if (name == null) {
      name = name(normalized, route);
      names[index] = name; // a benign race: two threads build equal strings
    }
    return name;
  }

  private static String name(String normalized, String route) {
    return (normalized.equals(HttpMethods.OTHER) ? "HTTP" : normalized) + " " + route;
  }

  private Long port(int port) {
    Long boxed = lastPort;
    if (boxed.longValue() != port) {
      boxed = (long) port;
      lastPort = boxed;
    }
    return boxed;
  }

  private static String truncate(String value) {
    return value.length() <= MAX_ATTRIBUTE_LENGTH
        ? value
        : value.substring(0, MAX_ATTRIBUTE_LENGTH);
  }
}
