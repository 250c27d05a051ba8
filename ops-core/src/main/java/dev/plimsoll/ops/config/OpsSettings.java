package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.http.IpRange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plimsoll's own settings, read from {@code OPS_*} environment variables or {@code ops.*} system
 * properties and validated all at once. Immutable.
 */
public final class OpsSettings {

  /** The service's name on every metric, log line and span. */
  public static final Setting<String> SERVICE_NAME = Setting.string("ops.service.name", null);

  /** The service's version; when unset, read from the application jar's manifest. */
  public static final Setting<String> SERVICE_VERSION = Setting.string("ops.service.version", null);

  /** The VCS revision the service was built from; when unset, read from the manifest. */
  public static final Setting<String> VCS_REVISION = Setting.string("ops.vcs.revision", null);

  /** The deployment environment, such as {@code production} or {@code staging}. */
  public static final Setting<String> ENVIRONMENT =
      Setting.matching(
          "ops.environment",
          "development",
          "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
          "a name of letters, digits, '.', '_' or '-' (at most 64)");

  /** {@code json} for one JSON object per line, {@code text} for people. */
  public static final Setting<String> LOG_FORMAT =
      Setting.oneOf("ops.log.format", "json", "json", "text");

  /** The root log level. */
  public static final Setting<String> LOG_LEVEL =
      Setting.oneOf("ops.log.level", "info", "trace", "debug", "info", "warn", "error");

  private static final String FIELD_PATTERN = "[A-Za-z_@][A-Za-z0-9_.@-]{0,63}";
  private static final String FIELD_EXPECTED =
      "a JSON field name of letters, digits, '_', '.', '@' or '-'";

  /**
   * The log field that carries the trace ID ({@code traceId} for Micrometer, {@code trace.id} for
   * ECS).
   */
  public static final Setting<String> LOG_TRACE_ID_FIELD =
      Setting.matching("ops.log.trace-id-field", "trace_id", FIELD_PATTERN, FIELD_EXPECTED);

  /** The log field that carries the span ID. */
  public static final Setting<String> LOG_SPAN_ID_FIELD =
      Setting.matching("ops.log.span-id-field", "span_id", FIELD_PATTERN, FIELD_EXPECTED);

  /** Whether one access-log event is written per request. */
  public static final Setting<Boolean> ACCESS_LOG_ENABLED =
      Setting.bool("ops.access-log.enabled", true);

  /** Path prefixes whose requests are not access-logged (probes and scrapes). */
  public static final Setting<List<String>> ACCESS_LOG_EXCLUDE_PATHS =
      Setting.list(
          "ops.access-log.exclude-paths",
          List.of("/health", "/metrics"),
          "paths starting with '/'",
          OpsSettings::path);

  /** The header that carries the request ID, read from requests and echoed in responses. */
  public static final Setting<String> REQUEST_ID_HEADER =
      Setting.matching(
          "ops.request-id.header",
          "X-Request-ID",
          "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}",
          "an HTTP header name");

  /** Proxies whose {@code X-Forwarded-For} is believed, as addresses or CIDR ranges. */
  public static final Setting<List<IpRange>> TRUSTED_PROXIES =
      Setting.list(
          "ops.http.trusted-proxies", List.of(), "IP addresses or CIDR ranges", IpRange::parse);

  /** The most distinct route labels recorded; the rest fold into {@code OTHER}. */
  public static final Setting<Integer> METRICS_MAX_ROUTES =
      Setting.integer("ops.metrics.max-routes", 512, 1, 100_000);

  /** Latency SLO thresholds, each added as an exact histogram bucket. */
  public static final Setting<List<Duration>> METRICS_SLO_LATENCIES =
      Setting.list(
          "ops.metrics.slo-latencies",
          List.of(Duration.ofMillis(500)),
          "durations from 1ms to 1h such as 500ms",
          OpsSettings::sloLatency);

  /** The path the metrics endpoint is served at. */
  public static final Setting<String> METRICS_PATH =
      Setting.matching(
          "ops.metrics.path", "/metrics", "/[A-Za-z0-9/_.-]*", "a path starting with '/'");

  /** Every setting above, in the order they are documented. */
  public static final List<Setting<?>> ALL =
      List.of(
          SERVICE_NAME,
          SERVICE_VERSION,
          VCS_REVISION,
          ENVIRONMENT,
          LOG_FORMAT,
          LOG_LEVEL,
          LOG_TRACE_ID_FIELD,
          LOG_SPAN_ID_FIELD,
          ACCESS_LOG_ENABLED,
          ACCESS_LOG_EXCLUDE_PATHS,
          REQUEST_ID_HEADER,
          TRUSTED_PROXIES,
          METRICS_MAX_ROUTES,
          METRICS_SLO_LATENCIES,
          METRICS_PATH);

  /** The name used when neither {@code ops.service.name} nor {@code otel.service.name} is set. */
  public static final String UNKNOWN_SERVICE = "unknown_service:java";

  private final String serviceName;
  private final @Nullable String serviceVersion;
  private final @Nullable String vcsRevision;
  private final String environment;
  private final String logFormat;
  private final String logLevel;
  private final String traceIdField;
  private final String spanIdField;
  private final boolean accessLogEnabled;
  private final List<String> accessLogExcludePaths;
  private final String requestIdHeader;
  private final List<IpRange> trustedProxies;
  private final int maxRoutes;
  private final List<Duration> sloLatencies;
  private final String metricsPath;
  private final Map<String, String> otelProperties;

  private OpsSettings(SettingsReader reader, ConfigSource source) {
    String name = reader.get(SERVICE_NAME);
    String otelName = source.get("otel.service.name");
    this.serviceName =
        name != null
            ? name
            : otelName != null && !otelName.isBlank() ? otelName.trim() : UNKNOWN_SERVICE;
    this.serviceVersion = reader.get(SERVICE_VERSION);
    this.vcsRevision = reader.get(VCS_REVISION);
    this.environment = reader.getOrDefault(ENVIRONMENT);
    this.logFormat = reader.getOrDefault(LOG_FORMAT);
    this.logLevel = reader.getOrDefault(LOG_LEVEL);
    this.traceIdField = reader.getOrDefault(LOG_TRACE_ID_FIELD);
    this.spanIdField = reader.getOrDefault(LOG_SPAN_ID_FIELD);
    this.accessLogEnabled = reader.getOrDefault(ACCESS_LOG_ENABLED);
    this.accessLogExcludePaths = reader.getOrDefault(ACCESS_LOG_EXCLUDE_PATHS);
    this.requestIdHeader = reader.getOrDefault(REQUEST_ID_HEADER);
    this.trustedProxies = reader.getOrDefault(TRUSTED_PROXIES);
    this.maxRoutes = reader.getOrDefault(METRICS_MAX_ROUTES);
    this.sloLatencies = reader.getOrDefault(METRICS_SLO_LATENCIES);
    this.metricsPath = reader.getOrDefault(METRICS_PATH);
    if (traceIdField.equals(spanIdField)) {
      reader.problem(LOG_SPAN_ID_FIELD, "same as " + LOG_TRACE_ID_FIELD.key());
    }
    this.otelProperties = Map.copyOf(source.withPrefix("otel."));
  }

  /**
   * Reads and validates every setting from {@code source}.
   *
   * @throws ConfigException listing every invalid setting
   */
  public static OpsSettings from(ConfigSource source) {
    requireNonNull(source, "source");
    SettingsReader reader = new SettingsReader(source);
    OpsSettings settings = new OpsSettings(reader, source);
    reader.requireValid();
    return settings;
  }

  /**
   * Reads and validates every setting from system properties, then environment variables.
   *
   * @throws ConfigException listing every invalid setting
   */
  public static OpsSettings fromEnvironment() {
    return from(ConfigSource.standard());
  }

  /** Every default, as if nothing were set. */
  public static OpsSettings defaults() {
    return from(ConfigSource.of(Map.of()));
  }

  /** The problems in {@code source}, empty when it is valid; never throws for bad values. */
  public static List<ConfigProblem> validate(ConfigSource source) {
    SettingsReader reader = new SettingsReader(source);
    new OpsSettings(reader, source);
    return reader.problems();
  }

  private static String path(String raw) {
    if (!raw.startsWith("/")) {
      throw new IllegalArgumentException("a path must start with '/'");
    }
    return raw;
  }

  private static Duration sloLatency(String raw) {
    Duration value = Setting.parseDuration(raw);
    if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("out of range");
    }
    return value;
  }

  /**
   * See {@link #SERVICE_NAME}; falls back to {@code otel.service.name}, then {@link
   * #UNKNOWN_SERVICE}.
   */
  public String serviceName() {
    return serviceName;
  }

  /** See {@link #SERVICE_VERSION}; {@code null} when not set. */
  public @Nullable String serviceVersion() {
    return serviceVersion;
  }

  /** See {@link #VCS_REVISION}; {@code null} when not set. */
  public @Nullable String vcsRevision() {
    return vcsRevision;
  }

  /** See {@link #ENVIRONMENT}. */
  public String environment() {
    return environment;
  }

  /** See {@link #LOG_FORMAT}: {@code json} or {@code text}. */
  public String logFormat() {
    return logFormat;
  }

  /** See {@link #LOG_LEVEL}, in lower case. */
  public String logLevel() {
    return logLevel;
  }

  /** See {@link #LOG_TRACE_ID_FIELD}. */
  public String traceIdField() {
    return traceIdField;
  }

  /** See {@link #LOG_SPAN_ID_FIELD}. */
  public String spanIdField() {
    return spanIdField;
  }

  /** See {@link #ACCESS_LOG_ENABLED}. */
  public boolean accessLogEnabled() {
    return accessLogEnabled;
  }

  /** See {@link #ACCESS_LOG_EXCLUDE_PATHS}. */
  public List<String> accessLogExcludePaths() {
    return accessLogExcludePaths;
  }

  /** See {@link #REQUEST_ID_HEADER}. */
  public String requestIdHeader() {
    return requestIdHeader;
  }

  /** See {@link #TRUSTED_PROXIES}. */
  public List<IpRange> trustedProxies() {
    return trustedProxies;
  }

  /** See {@link #METRICS_MAX_ROUTES}. */
  public int maxRoutes() {
    return maxRoutes;
  }

  /** See {@link #METRICS_SLO_LATENCIES}. */
  public List<Duration> sloLatencies() {
    return sloLatencies;
  }

  /** See {@link #METRICS_PATH}. */
  public String metricsPath() {
    return metricsPath;
  }

  /** Every {@code otel.*} key the source set ({@code OTEL_*} variables in canonical form). */
  public Map<String, String> otelProperties() {
    return otelProperties;
  }
}
