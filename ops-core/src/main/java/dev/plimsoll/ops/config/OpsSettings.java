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

  /**
   * The path of the health endpoints: itself for every check, and {@code /live}, {@code /ready},
   * {@code /started} below it.
   */
  public static final Setting<String> HEALTH_PATH =
      Setting.matching(
          "ops.health.path",
          "/health",
          "/[A-Za-z0-9/_.-]*[A-Za-z0-9_.-]",
          "a path starting with '/', not ending with '/'");

  /**
   * How long one health check may run before it counts as {@code DOWN} with reason {@code timeout}.
   */
  public static final Setting<Duration> HEALTH_TIMEOUT =
      Setting.duration(
          "ops.health.timeout",
          Duration.ofSeconds(2),
          Duration.ofMillis(10),
          Duration.ofMinutes(1));

  /** How long a check's result is reused, so that a burst of probes runs each check once. */
  public static final Setting<Duration> HEALTH_CACHE_TTL =
      Setting.duration(
          "ops.health.cache-ttl", Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(1));

  /** Whether the health endpoints show each check's details (hosts, pool sizes). */
  public static final Setting<Boolean> HEALTH_SHOW_DETAILS =
      Setting.bool("ops.health.show-details", false);

  /** The directory whose file system the disk-space check watches. */
  public static final Setting<String> HEALTH_DISK_PATH =
      Setting.string("ops.health.disk.path", ".");

  /** Free space, in MiB, below which the disk-space check fails; 0 turns the check off. */
  public static final Setting<Integer> HEALTH_DISK_MIN_FREE_MB =
      Setting.integer("ops.health.disk.min-free-mb", 50, 0, 10_000_000);

  /**
   * How long traffic is still served after readiness turns {@code DOWN}, before waiting for
   * requests.
   */
  public static final Setting<Duration> SHUTDOWN_DRAIN_DELAY =
      Setting.duration(
          "ops.shutdown.drain-delay", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(5));

  /** How long shutdown waits for in-flight requests after the drain delay. */
  public static final Setting<Duration> SHUTDOWN_TIMEOUT =
      Setting.duration(
          "ops.shutdown.timeout", Duration.ofSeconds(20), Duration.ZERO, Duration.ofMinutes(10));

  /** How long each closer (span flush, pool close) may take before the next one runs. */
  public static final Setting<Duration> SHUTDOWN_CLOSER_TIMEOUT =
      Setting.duration(
          "ops.shutdown.closer-timeout",
          Duration.ofSeconds(5),
          Duration.ofMillis(10),
          Duration.ofMinutes(5));

  /**
   * The most the whole shutdown may take; mirror it in Kubernetes' {@code
   * terminationGracePeriodSeconds}. Drain delay plus timeout must fit in it.
   */
  public static final Setting<Duration> SHUTDOWN_BUDGET =
      Setting.duration(
          "ops.shutdown.budget",
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofHours(1));

  /** Whether a JVM shutdown hook (SIGTERM) runs the graceful shutdown. */
  public static final Setting<Boolean> SHUTDOWN_HOOK = Setting.bool("ops.shutdown.hook", true);

  /**
   * The port of a separate management listener; when set, the metrics endpoint and the health
   * endpoint with every check answer only there, and the probes on the main port never show
   * details. Unset, everything answers on every port.
   */
  public static final Setting<Integer> MANAGEMENT_PORT =
      Setting.integer("ops.management.port", null, 1, 65_535);

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
          METRICS_PATH,
          HEALTH_PATH,
          HEALTH_TIMEOUT,
          HEALTH_CACHE_TTL,
          HEALTH_SHOW_DETAILS,
          HEALTH_DISK_PATH,
          HEALTH_DISK_MIN_FREE_MB,
          SHUTDOWN_DRAIN_DELAY,
          SHUTDOWN_TIMEOUT,
          SHUTDOWN_CLOSER_TIMEOUT,
          SHUTDOWN_BUDGET,
          SHUTDOWN_HOOK,
          MANAGEMENT_PORT);

  /** The environment in which the production rules apply. */
  public static final String PRODUCTION = "production";

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
  private final String healthPath;
  private final Duration healthTimeout;
  private final Duration healthCacheTtl;
  private final boolean healthShowDetails;
  private final String healthDiskPath;
  private final int healthDiskMinFreeMb;
  private final Duration drainDelay;
  private final Duration shutdownTimeout;
  private final Duration closerTimeout;
  private final Duration shutdownBudget;
  private final boolean shutdownHook;
  private final @Nullable Integer managementPort;
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
    this.healthPath = reader.getOrDefault(HEALTH_PATH);
    this.healthTimeout = reader.getOrDefault(HEALTH_TIMEOUT);
    this.healthCacheTtl = reader.getOrDefault(HEALTH_CACHE_TTL);
    this.healthShowDetails = reader.getOrDefault(HEALTH_SHOW_DETAILS);
    this.healthDiskPath = reader.getOrDefault(HEALTH_DISK_PATH);
    this.healthDiskMinFreeMb = reader.getOrDefault(HEALTH_DISK_MIN_FREE_MB);
    this.drainDelay = reader.getOrDefault(SHUTDOWN_DRAIN_DELAY);
    this.shutdownTimeout = reader.getOrDefault(SHUTDOWN_TIMEOUT);
    this.closerTimeout = reader.getOrDefault(SHUTDOWN_CLOSER_TIMEOUT);
    this.shutdownBudget = reader.getOrDefault(SHUTDOWN_BUDGET);
    this.shutdownHook = reader.getOrDefault(SHUTDOWN_HOOK);
    this.managementPort = reader.get(MANAGEMENT_PORT);
    if (traceIdField.equals(spanIdField)) {
      reader.problem(LOG_SPAN_ID_FIELD, "same as " + LOG_TRACE_ID_FIELD.key());
    }
    if (drainDelay.plus(shutdownTimeout).compareTo(shutdownBudget) > 0) {
      reader.problem(
          SHUTDOWN_BUDGET,
          "shorter than "
              + SHUTDOWN_DRAIN_DELAY.key()
              + " ("
              + drainDelay.toMillis()
              + "ms) plus "
              + SHUTDOWN_TIMEOUT.key()
              + " ("
              + shutdownTimeout.toMillis()
              + "ms)");
    }
    if (healthPath.equals(metricsPath) || metricsPath.startsWith(healthPath + "/")) {
      reader.problem(METRICS_PATH, "inside " + HEALTH_PATH.key() + " (" + healthPath + ")");
    }
    if (reader.isProduction() && (logLevel.equals("debug") || logLevel.equals("trace"))) {
      reader.problem(LOG_LEVEL, "debug logging must be off in production (" + logLevel + ")");
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

  /** Reads every setting into {@code reader}, which collects the problems; for a schema. */
  static OpsSettings read(SettingsReader reader, ConfigSource source) {
    return new OpsSettings(reader, source);
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

  /** See {@link #HEALTH_PATH}. */
  public String healthPath() {
    return healthPath;
  }

  /** See {@link #HEALTH_TIMEOUT}. */
  public Duration healthTimeout() {
    return healthTimeout;
  }

  /** See {@link #HEALTH_CACHE_TTL}. */
  public Duration healthCacheTtl() {
    return healthCacheTtl;
  }

  /** See {@link #HEALTH_SHOW_DETAILS}. */
  public boolean healthShowDetails() {
    return healthShowDetails;
  }

  /** See {@link #HEALTH_DISK_PATH}. */
  public String healthDiskPath() {
    return healthDiskPath;
  }

  /** See {@link #HEALTH_DISK_MIN_FREE_MB}. */
  public int healthDiskMinFreeMb() {
    return healthDiskMinFreeMb;
  }

  /** See {@link #SHUTDOWN_DRAIN_DELAY}. */
  public Duration drainDelay() {
    return drainDelay;
  }

  /** See {@link #SHUTDOWN_TIMEOUT}. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** See {@link #SHUTDOWN_CLOSER_TIMEOUT}. */
  public Duration closerTimeout() {
    return closerTimeout;
  }

  /** See {@link #SHUTDOWN_BUDGET}. */
  public Duration shutdownBudget() {
    return shutdownBudget;
  }

  /** See {@link #SHUTDOWN_HOOK}. */
  public boolean shutdownHook() {
    return shutdownHook;
  }

  /** See {@link #MANAGEMENT_PORT}; {@code null} when everything answers on every port. */
  public @Nullable Integer managementPort() {
    return managementPort;
  }

  /** Every {@code otel.*} key the source set ({@code OTEL_*} variables in canonical form). */
  public Map<String, String> otelProperties() {
    return otelProperties;
  }
}
