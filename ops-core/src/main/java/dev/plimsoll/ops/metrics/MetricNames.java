package dev.plimsoll.ops.metrics;

/**
 * Every metric and label name Plimsoll registers, as Micrometer names. In Prometheus dots become
 * underscores and units and {@code _total} are appended: {@link #HTTP_SERVER_REQUEST_DURATION} is
 * scraped as {@code http_server_request_duration_seconds}. {@code docs/contract.md}, the dashboards
 * and the alerts are tested against these constants.
 */
public final class MetricNames {

  /** Histogram of server request durations in seconds (OpenTelemetry HTTP semantic conventions). */
  public static final String HTTP_SERVER_REQUEST_DURATION = "http.server.request.duration";

  /** Gauge of requests currently being served. */
  public static final String HTTP_SERVER_ACTIVE_REQUESTS = "http.server.active_requests";

  /** Counter of requests whose route was folded into {@link #ROUTE_OTHER} by the route cap. */
  public static final String HTTP_SERVER_ROUTE_OVERFLOW = "ops.http.server.route.overflow";

  /** Gauge, always 1, labelled with the build's version, revision and Java version. */
  public static final String BUILD_INFO = "ops.build.info";

  /** Counter of failures inside Plimsoll's own instrumentation, labelled by {@link #STAGE}. */
  public static final String INSTRUMENTATION_ERRORS = "ops.instrumentation.errors";

  /**
   * Counter of the requests the access log considered (not under {@code
   * ops.access-log.exclude-paths}), labelled by {@link #DECISION}.
   */
  public static final String ACCESS_LOG_REQUESTS = "ops.access_log.requests";

  /** Label: the request method, or {@code _OTHER}. */
  public static final String HTTP_REQUEST_METHOD = "http.request.method";

  /** Label: the route template, {@link #ROUTE_UNMATCHED} or {@link #ROUTE_OTHER}. */
  public static final String HTTP_ROUTE = "http.route";

  /** Label: the response status code. */
  public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";

  /** Label: the exception class or 5xx status; {@link #NO_ERROR} when the request succeeded. */
  public static final String ERROR_TYPE = "error.type";

  /** Label on every series: the service name. */
  public static final String SERVICE_NAME = "service.name";

  /** Label on every series: the service version. */
  public static final String SERVICE_VERSION = "service.version";

  /** Label on every series: the deployment environment. */
  public static final String DEPLOYMENT_ENVIRONMENT = "deployment.environment";

  /** Label of {@link #BUILD_INFO}: the VCS revision. */
  public static final String VCS_REVISION = "vcs.revision";

  /** Label of {@link #BUILD_INFO}: the Java runtime version. */
  public static final String JAVA_VERSION = "java.version";

  /** Label of {@link #INSTRUMENTATION_ERRORS}: where the failure happened. */
  public static final String STAGE = "stage";

  /**
   * Label of {@link #ACCESS_LOG_REQUESTS}: {@code logged}, or {@code sampled_out} by {@code
   * ops.access-log.sample-rate}.
   */
  public static final String DECISION = "decision";

  /**
   * Value of {@link #ERROR_TYPE} when there was no error: empty, which PromQL treats as an absent
   * label, exactly as OpenTelemetry-instrumented services report it.
   */
  public static final String NO_ERROR = "";

  /** Route of requests that matched no known template. */
  public static final String ROUTE_UNMATCHED = "UNMATCHED";

  /** Route of requests whose template came after the route cap was reached. */
  public static final String ROUTE_OTHER = "OTHER";

  private MetricNames() {}
}
