package dev.plimsoll.ops.metrics;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.http.HttpMethods;
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
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger routeCount = new AtomicInteger();
  private final ConcurrentMap<String, String> knownRoutes = new ConcurrentHashMap<>();
  private final ConcurrentMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();
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
    Gauge.builder(MetricNames.HTTP_SERVER_ACTIVE_REQUESTS, active, AtomicInteger::get)
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
    active.incrementAndGet();
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
    active.decrementAndGet();
    TimerKey key =
        new TimerKey(HttpMethods.normalize(method), cappedRoute(route), status, errorType);
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, this::newTimer);
    }
    timer.record(durationNanos, TimeUnit.NANOSECONDS);
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

  private Timer newTimer(TimerKey key) {
    return Timer.builder(MetricNames.HTTP_SERVER_REQUEST_DURATION)
        .description("Duration of HTTP server requests.")
        .tag(MetricNames.HTTP_REQUEST_METHOD, key.method())
        .tag(MetricNames.HTTP_ROUTE, key.route())
        .tag(MetricNames.HTTP_RESPONSE_STATUS_CODE, StatusCodes.text(key.status()))
        .tag(MetricNames.ERROR_TYPE, key.errorType())
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  /** The histogram's bucket boundaries, ascending. */
  public List<Duration> buckets() {
    return new ArrayList<>(List.of(buckets));
  }

  private record TimerKey(String method, String route, int status, String errorType) {}
}
