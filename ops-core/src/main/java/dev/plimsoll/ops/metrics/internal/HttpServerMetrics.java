package dev.plimsoll.ops.metrics.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.http.internal.HttpMethods;
import dev.plimsoll.ops.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * RED metrics of an HTTP server: a duration histogram per method, route, status and error type, and
 * a gauge of active requests. The number of distinct routes is capped; routes past the cap are
 * recorded as {@link MetricNames#ROUTE_OTHER} so totals stay right. Thread-safe.
 */
public final class HttpServerMetrics {

  /** OpenTelemetry's default HTTP duration buckets, in seconds. */
  static final List<Duration> DEFAULT_BUCKETS =
      List.of(5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000).stream()
          .map(Duration::ofMillis)
          .toList();

  private final MeterRegistry registry;
  private final int maxRoutes;
  private final Duration[] buckets;
  private final LongAdder active = new LongAdder(); // no shared counter for threads to contend on
  private final AtomicInteger routeCount = new AtomicInteger();
  private final ConcurrentMap<String, String> knownRoutes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, RouteTimers> routes = new ConcurrentHashMap<>();
  private final Counter overflow;

  /**
   * Registers the metrics in {@code registry}.
   *
   * @param maxRoutes the most distinct routes recorded, at least 1
   * @param sloThresholds latency thresholds added as exact buckets
   */
  public HttpServerMetrics(MeterRegistry registry, int maxRoutes, List<Duration> sloThresholds) {
    this.registry = requireNonNull(registry, "registry");
    if (maxRoutes < 1) {
      throw new IllegalArgumentException("maxRoutes must be at least 1");
    }
    this.maxRoutes = maxRoutes;
    TreeSet<Duration> all = new TreeSet<>(DEFAULT_BUCKETS);
    all.addAll(requireNonNull(sloThresholds, "sloThresholds"));
    this.buckets = all.toArray(new Duration[0]);
    Gauge.builder(MetricNames.HTTP_SERVER_ACTIVE_REQUESTS, active, LongAdder::sum)
        .description("Number of HTTP server requests being served.")
        .register(registry);
    this.overflow =
        Counter.builder(MetricNames.HTTP_SERVER_ROUTE_OVERFLOW)
            .description(
                "Requests recorded under http_route=\"OTHER\" because the route cap was reached.")
            .register(registry);
  }

  /** Counts a request as active; call {@link #requestFinished} exactly once afterwards. */
  public void requestStarted() {
    active.increment();
  }

  /**
   * Records a finished request. Call it while the request's span is current, so that the histogram
   * bucket can carry the span as an exemplar.
   *
   * @param method the request method as received
   * @param route the route template, or {@link MetricNames#ROUTE_UNMATCHED}
   * @param status the final status code
   * @param errorType the exception class or status for 5xx, or {@link MetricNames#NO_ERROR}
   * @param durationNanos the time from the first byte read to the response completed
   */
  public void requestFinished(
      String method, String route, int status, String errorType, long durationNanos) {
    active.decrement();
    // Meters are resolved through maps keyed by what the request already holds, so recording a
    // request of a known route, method and status allocates nothing.
    RouteTimers byRoute = routes.get(route);
    if (byRoute == null) {
      byRoute = routes.computeIfAbsent(cappedRoute(route), RouteTimers::new);
    }
    byRoute
        .timer(HttpMethods.normalize(method), status, errorType)
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /** Returns the number of distinct routes recorded so far. */
  public int routeCount() {
    return routeCount.get();
  }

  private String cappedRoute(String route) {
    String known = knownRoutes.get(route);
    if (known != null) {
      return known;
    }
    if (route.equals(MetricNames.ROUTE_UNMATCHED) || route.equals(MetricNames.ROUTE_OTHER)) {
      return route;
    }
    synchronized (knownRoutes) {
      known = knownRoutes.get(route);
      if (known != null) {
        return known;
      }
      if (routeCount.get() >= maxRoutes) {
        overflow.increment();
        return MetricNames.ROUTE_OTHER;
      }
      routeCount.incrementAndGet();
      knownRoutes.put(route, route);
      return route;
    }
  }

  private Timer newTimer(String method, String route, int status, String errorType) {
    return Timer.builder(MetricNames.HTTP_SERVER_REQUEST_DURATION)
        .description("Duration of HTTP server requests.")
        .tag(MetricNames.HTTP_REQUEST_METHOD, method)
        .tag(MetricNames.HTTP_ROUTE, route)
        .tag(MetricNames.HTTP_RESPONSE_STATUS_CODE, StatusCodes.text(status))
        .tag(MetricNames.ERROR_TYPE, errorType)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  /** The histogram's bucket boundaries, ascending. */
  public List<Duration> buckets() {
    return new ArrayList<>(List.of(buckets));
  }

  /** The timers of one (capped) route, by method. */
  private final class RouteTimers {
    private final String route;
    private final ConcurrentMap<String, MethodTimers> methods = new ConcurrentHashMap<>(4);

    RouteTimers(String route) {
      this.route = route;
    }

    Timer timer(String method, int status, String errorType) {
      MethodTimers byMethod = methods.get(method);
      if (byMethod == null) {
        byMethod = methods.computeIfAbsent(method, m -> new MethodTimers(route, m));
      }
      return byMethod.timer(status, errorType);
    }
  }

  /** The timers of one route and method: successes by status, errors by status and type. */
  private final class MethodTimers {
    private static final int STATUSES = 600;

    private final String route;
    private final String method;
    private final AtomicReferenceArray<Timer> withoutError = new AtomicReferenceArray<>(STATUSES);
    private final ConcurrentMap<String, Timer> withError = new ConcurrentHashMap<>(4);

    MethodTimers(String route, String method) {
      this.route = route;
      this.method = method;
    }

    Timer timer(int status, String errorType) {
      if (errorType.isEmpty() && status >= 0 && status < STATUSES) {
        Timer timer = withoutError.get(status);
        if (timer == null) {
          // Micrometer returns the registered meter to a racing second registration.
          timer = newTimer(method, route, status, errorType);
          withoutError.set(status, timer);
        }
        return timer;
      }
      return withError.computeIfAbsent(
          status + " " + errorType, key -> newTimer(method, route, status, errorType));
    }
  }
}
