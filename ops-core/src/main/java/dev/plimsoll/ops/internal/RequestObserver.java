package dev.plimsoll.ops.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.http.HttpServerObserver;
import dev.plimsoll.ops.http.ObservedRequest;
import dev.plimsoll.ops.http.ServerExchange;
import dev.plimsoll.ops.http.internal.ClientAddressResolver;
import dev.plimsoll.ops.http.internal.PathPrefixes;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.logging.internal.AccessLog;
import dev.plimsoll.ops.logging.internal.AccessLogSampler;
import dev.plimsoll.ops.logging.internal.LogCorrelation;
import dev.plimsoll.ops.logging.internal.RequestIds;
import dev.plimsoll.ops.metrics.MetricNames;
import dev.plimsoll.ops.metrics.internal.HttpServerMetrics;
import dev.plimsoll.ops.metrics.internal.InstrumentationFailures;
import dev.plimsoll.ops.shutdown.ShutdownCoordinator;
import dev.plimsoll.ops.shutdown.internal.InFlightRequests;
import dev.plimsoll.ops.tracing.Tracing;
import dev.plimsoll.ops.tracing.internal.HttpServerTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The request-observation seam: what every server adapter's requests go through, so metrics, span,
 * MDC, request ID, access log, in-flight count and the draining {@code Connection: close} are
 * decided once for all servers. Each stage catches its own failures and counts them in {@link
 * InstrumentationFailures}. Not API.
 */
public final class RequestObserver implements HttpServerObserver {

  private static final int MAX_PATH_LENGTH = 2048;

  private final HttpServerMetrics metrics;
  private final HttpServerTracing tracing;
  private final InstrumentationFailures failures;
  private final AccessLog accessLog;
  private final AccessLogSampler sampling;
  private final LogCorrelation correlation;
  private final ClientAddressResolver clientAddresses;
  private final PathPrefixes unmeasured;
  private final PathPrefixes unlogged;
  private final String requestIdHeader;
  private final InFlightRequests inFlight;
  private final BooleanSupplier draining;

  private RequestObserver(
      OpsSettings settings, MeterRegistry registry, Tracing tracing, ShutdownCoordinator shutdown) {
    this.metrics = new HttpServerMetrics(registry, settings.maxRoutes(), settings.sloLatencies());
    this.tracing = new HttpServerTracing(tracing);
    this.failures = new InstrumentationFailures(registry);
    this.accessLog = new AccessLog(settings.accessLogEnabled());
    this.sampling =
        new AccessLogSampler(settings.accessLogSampleRate(), slowThreshold(settings), registry);
    this.correlation = new LogCorrelation(settings.traceIdField(), settings.spanIdField());
    this.clientAddresses = ClientAddressResolver.trusting(settings.trustedProxies());
    this.unmeasured = PathPrefixes.of(settings.metricsExcludePaths());
    this.unlogged = PathPrefixes.of(settings.accessLogExcludePaths());
    this.requestIdHeader = settings.requestIdHeader();
    // The only place that knows how the shutdown counts requests and says it is draining.
    this.inFlight = InFlightRequests.of(shutdown);
    this.draining = shutdown::isDraining;
  }

  /**
   * The latency above which a request is always access-logged: the smallest SLO threshold, so every
   * request that misses a latency objective is in the log (the default's 500 ms when none is set).
   */
  static Duration slowThreshold(OpsSettings settings) {
    List<Duration> thresholds = settings.sloLatencies();
    if (thresholds.isEmpty()) {
      thresholds = requireNonNull(OpsSettings.METRICS_SLO_LATENCIES.defaultValue(), "default");
    }
    return Collections.min(thresholds);
  }

  /**
   * The observer of a {@link dev.plimsoll.ops.Plimsoll}: its HTTP metrics and failure counter in
   * {@code registry}, SERVER spans from {@code tracing}, requests counted for {@code shutdown}.
   */
  public static RequestObserver create(
      OpsSettings settings, MeterRegistry registry, Tracing tracing, ShutdownCoordinator shutdown) {
    return new RequestObserver(
        requireNonNull(settings, "settings"),
        requireNonNull(registry, "registry"),
        requireNonNull(tracing, "tracing"),
        requireNonNull(shutdown, "shutdown"));
  }

  @Override
  public @Nullable ObservedRequest begin(ServerExchange exchange) {
    try {
      long start = System.nanoTime();
      String requestId = RequestIds.acceptOrGenerate(exchange.requestHeader(requestIdHeader));
      exchange.setResponseHeader(requestIdHeader, requestId);
      String uri = exchange.path();
      String path = uri.length() > MAX_PATH_LENGTH ? uri.substring(0, MAX_PATH_LENGTH) : uri;
      String client =
          clientAddresses.resolve(
              exchange.remoteAddress(),
              exchange.requestHeader(ClientAddressResolver.FORWARDED_FOR));
      boolean measured = !unmeasured.matches(path);
      Observation observation =
          new Observation(this, exchange, path, client, requestId, start, measured);
      if (draining.getAsBoolean()) {
        exchange.setResponseHeader("Connection", "close");
      }
      if (measured) {
        metrics.requestStarted();
      }
      inFlight.started();
      return observation;
    } catch (RuntimeException | LinkageError e) {
      failures.record("begin", e);
      return null;
    }
  }

  /** Starts the SERVER span of {@code request}, its parent taken from the exchange's headers. */
  Context startSpan(ServerExchange exchange, RequestFacts request) {
    return tracing.start(exchange, ExchangeHeaders.INSTANCE, request);
  }

  @Override
  public void instrumentationFailed(String stage, Throwable failure) {
    failures.record(stage, failure);
  }

  @SuppressWarnings("try") // the scope is held only to make the span current while recording
  void end(Observation observation, @Nullable Throwable failure, boolean otherThread) {
    if (!observation.claimEnd()) {
      return;
    }
    try (Scope scope = makeCurrent(observation.context)) {
      long duration = System.nanoTime() - observation.startNanos;
      ServerExchange exchange = observation.exchange;
      RequestFacts request = observation;
      int status = failure != null && !exchange.isCommitted() ? 500 : exchange.status();
      String route = route(exchange);
      String errorType = errorType(status, failure, exchange);
      if (observation.measured()) {
        metrics.requestFinished(request.method(), route, status, errorType, duration);
      }
      tracing.end(observation.context, request.method(), route, status, errorType, failure);
      if (accessLog.isEnabled()
          && !unlogged.matches(request.path())
          && sampling.sample(!errorType.isEmpty(), duration, observation.context)) {
        if (otherThread) {
          putIds(observation);
        }
        try {
          accessLog.log(request, route, status, duration);
        } finally {
          if (otherThread) {
            correlation.clear();
          }
        }
      }
    } catch (RuntimeException | LinkageError e) {
      failures.record("finish", e);
    } finally {
      inFlight.finished();
    }
  }

  Scope enter(Observation observation) {
    Scope scope = makeCurrent(observation.context);
    try {
      putIds(observation);
    } catch (RuntimeException | LinkageError e) {
      failures.record("context", e);
    }
    return scope;
  }

  void exit(Scope scope, @Nullable Throwable failure) {
    try {
      scope.close();
    } catch (RuntimeException | LinkageError e) {
      failures.record("context", e);
    }
    if (failure == null) {
      correlation.clear();
    }
    // After a failure the IDs stay on this thread, so the line the server logs about it carries
    // them (servers log after every filter has returned); the server's error dispatch or the next
    // request on this thread replaces them.
  }

  private String route(ServerExchange exchange) {
    try {
      String route = exchange.route();
      return route == null || route.isEmpty() ? MetricNames.ROUTE_UNMATCHED : route;
    } catch (RuntimeException | LinkageError e) {
      failures.record("route", e);
      return MetricNames.ROUTE_UNMATCHED;
    }
  }

  private static String errorType(
      int status, @Nullable Throwable failure, ServerExchange exchange) {
    if (failure != null) {
      return failure.getClass().getName();
    }
    Throwable handled = exchange.handledFailure();
    if (handled != null) {
      return handled.getClass().getName();
    }
    return status >= 500 ? Integer.toString(status) : MetricNames.NO_ERROR;
  }

  Scope makeCurrent(Context context) {
    try {
      return context.makeCurrent();
    } catch (RuntimeException | LinkageError e) {
      failures.record("context", e);
      return Scope.noop();
    }
  }

  void putIds(Observation observation) {
    SpanContext span = Span.fromContext(observation.context).getSpanContext();
    correlation.put(observation.requestId, span.getTraceId(), span.getSpanId());
  }
}
