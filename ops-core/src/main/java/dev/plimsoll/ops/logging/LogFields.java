package dev.plimsoll.ops.logging;

/**
 * The field names of Plimsoll's JSON log lines. The trace and span ID fields are settings ({@code
 * ops.log.trace-id-field}); the others are fixed. {@code docs/contract.md} is tested against these
 * constants.
 */
public final class LogFields {

  /** ISO-8601 timestamp with offset. */
  public static final String TIMESTAMP = "timestamp";

  /** Level: TRACE, DEBUG, INFO, WARN or ERROR. */
  public static final String LEVEL = "level";

  /** The logger's name. */
  public static final String LOGGER = "logger";

  /** The thread's name. */
  public static final String THREAD = "thread";

  /** The formatted message. */
  public static final String MESSAGE = "message";

  /** The stack trace, when an exception was logged. */
  public static final String STACK_TRACE = "stack_trace";

  /** The service's name. */
  public static final String SERVICE_NAME = "service.name";

  /** The service's version. */
  public static final String SERVICE_VERSION = "service.version";

  /** The deployment environment. */
  public static final String DEPLOYMENT_ENVIRONMENT = "deployment.environment";

  /** The request ID, for every line logged while a request is served. */
  public static final String REQUEST_ID = "request_id";

  /** Default name of the trace ID field. */
  public static final String TRACE_ID = "trace_id";

  /** Default name of the span ID field. */
  public static final String SPAN_ID = "span_id";

  /** Access log: the request method. */
  public static final String HTTP_REQUEST_METHOD = "http.request.method";

  /** Access log: the route template. */
  public static final String HTTP_ROUTE = "http.route";

  /** Access log: the path, without the query string. */
  public static final String URL_PATH = "url.path";

  /** Access log: the response status code. */
  public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";

  /** Access log: the duration in milliseconds, with fractions. */
  public static final String DURATION_MS = "duration_ms";

  /** Access log: the client address, behind trusted proxies only. */
  public static final String CLIENT_ADDRESS = "client.address";

  /** Access log: the {@code User-Agent} header. */
  public static final String USER_AGENT = "user_agent.original";

  /** Shutdown: the phase that just ended. */
  public static final String SHUTDOWN_PHASE = "shutdown.phase";

  /** Shutdown: the closer that just ran. */
  public static final String SHUTDOWN_CLOSER = "shutdown.closer";

  /** Shutdown: the whole budget in milliseconds. */
  public static final String SHUTDOWN_BUDGET_MS = "shutdown.budget_ms";

  /** Shutdown summary: requests that finished after shutdown began. */
  public static final String SHUTDOWN_REQUESTS_DRAINED = "shutdown.requests_drained";

  /** Shutdown summary: requests still running when the timeout ran out. */
  public static final String SHUTDOWN_REQUESTS_IN_FLIGHT = "shutdown.requests_in_flight";

  /** The logger of access-log events. */
  public static final String ACCESS_LOGGER = "dev.plimsoll.ops.access";

  private LogFields() {}
}
