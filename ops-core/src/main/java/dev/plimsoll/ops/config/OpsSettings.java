package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.internal.OtelRules;
import dev.plimsoll.ops.config.internal.SettingsReader;
import dev.plimsoll.ops.http.IpRange;
import dev.plimsoll.ops.shutdown.internal.ShutdownBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plimsoll's own settings, read from {@code OPS_*} environment variables or {@code ops.*} system
 * properties and validated all at once. Immutable.
 *
 * <p>Each setting is declared once, below, with {@link #setting} (or {@link #toggle} for an
 * integration's on/off switch): key, type, default, range and description. The lists {@link #ALL}
 * and {@link #SWITCHES}, the environment-variable names, the settings tables of {@code
 * docs/contract.md} and the Spring Boot configuration metadata are all derived from these
 * declarations.
 */
public final class OpsSettings {

  // Filled by the declarations below, in the order they are written: the documented order.
  private static final List<Setting<?>> DECLARED_SETTINGS = new ArrayList<>();
  private static final List<Setting<?>> DECLARED_SWITCHES = new ArrayList<>();

  private static final String PATH_PATTERN = "/[A-Za-z0-9/_.-]*";
  private static final String FIELD_PATTERN = "[A-Za-z_@][A-Za-z0-9_.@-]{0,63}";
  private static final String FIELD_EXPECTED =
      "a JSON field name of letters, digits, '_', '.', '@' or '-'";

  /** The service's name on every metric, log line and span. */
  public static final Setting<String> SERVICE_NAME =
      setting(
          Setting.string("ops.service.name", null)
              .describedAs("Service name on metrics, logs and spans.")
              .documentedDefault("`OTEL_SERVICE_NAME`, else `unknown_service:java`"));

  /** The service's version; when unset, read from the application jar's manifest. */
  public static final Setting<String> SERVICE_VERSION =
      setting(
          Setting.string("ops.service.version", null)
              .describedAs("Service version (see Metrics, which version a series names).")
              .documentedDefault(
                  "manifest `Implementation-Version` (a `-SNAPSHOT` with its revision's first 12"
                      + " characters appended), else `unknown`"));

  /** The VCS revision the service was built from; when unset, read from the manifest. */
  public static final Setting<String> VCS_REVISION =
      setting(
          Setting.string("ops.vcs.revision", null)
              .describedAs("VCS revision in `ops_build_info`.")
              .documentedDefault("manifest `SCM-Revision`, else `unknown`"));

  /** The deployment environment, such as {@code production} or {@code staging}. */
  public static final Setting<String> ENVIRONMENT =
      setting(
          Setting.matching(
                  "ops.environment",
                  "development",
                  "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                  "a name of letters, digits, '.', '_' or '-' (at most 64)")
              .describedAs(
                  "Deployment environment; in `production` the production rules apply (real"
                      + " secrets, debug logging off)."));

  /** {@code json} for one JSON object per line, {@code text} for people. */
  public static final Setting<String> LOG_FORMAT =
      setting(
          Setting.oneOf("ops.log.format", "json", "json", "text")
              .describedAs("`json` (one object per line) or `text` (for people)."));

  /** The root log level. */
  public static final Setting<String> LOG_LEVEL =
      setting(
          Setting.oneOf("ops.log.level", "info", "trace", "debug", "info", "warn", "error")
              .describedAs("Root log level."));

  /**
   * The log field that carries the trace ID ({@code traceId} for Micrometer, {@code trace.id} for
   * ECS).
   */
  public static final Setting<String> LOG_TRACE_ID_FIELD =
      setting(
          Setting.matching("ops.log.trace-id-field", "trace_id", FIELD_PATTERN, FIELD_EXPECTED)
              .describedAs(
                  "Field of the trace ID (`traceId` for Micrometer, `trace.id` for ECS)."));

  /** The log field that carries the span ID. */
  public static final Setting<String> LOG_SPAN_ID_FIELD =
      setting(
          Setting.matching("ops.log.span-id-field", "span_id", FIELD_PATTERN, FIELD_EXPECTED)
              .describedAs("Field of the span ID."));

  /** Whether one access-log event is written per request. */
  public static final Setting<Boolean> ACCESS_LOG_ENABLED =
      setting(
          Setting.bool("ops.access-log.enabled", true)
              .describedAs("One access-log event per request."));

  /** Path prefixes whose requests are not access-logged (probes and scrapes). */
  public static final Setting<List<String>> ACCESS_LOG_EXCLUDE_PATHS =
      setting(
          Setting.list(
                  "ops.access-log.exclude-paths",
                  List.of("/health", "/metrics"),
                  "paths starting with '/'",
                  OpsSettings::path)
              .describedAs("Path prefixes not access-logged."));

  /**
   * The share of ordinary requests the access log keeps; server errors and requests slower than the
   * smallest of {@link #METRICS_SLO_LATENCIES} are always logged.
   */
  public static final Setting<Double> ACCESS_LOG_SAMPLE_RATE =
      setting(
          Setting.ratio("ops.access-log.sample-rate", 1)
              .describedAs(
                  "Share of requests access-logged; 5xx, failed and slower-than-SLO requests"
                      + " always are. Below 1, the choice follows the trace ID, as the"
                      + " `traceidratio` sampler's does."));

  /** The header that carries the request ID, read from requests and echoed in responses. */
  public static final Setting<String> REQUEST_ID_HEADER =
      setting(
          Setting.matching(
                  "ops.request-id.header",
                  "X-Request-ID",
                  "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}",
                  "an HTTP header name")
              .describedAs("Request ID header."));

  /** Proxies whose {@code X-Forwarded-For} is believed, as addresses or CIDR ranges. */
  public static final Setting<List<IpRange>> TRUSTED_PROXIES =
      setting(
          Setting.list(
                  "ops.http.trusted-proxies",
                  List.of(),
                  "IP addresses or CIDR ranges",
                  IpRange::parse)
              .describedAs("Addresses or CIDR ranges whose `X-Forwarded-For` is believed."));

  /** The most distinct route labels recorded; the rest fold into {@code OTHER}. */
  public static final Setting<Integer> METRICS_MAX_ROUTES =
      setting(
          Setting.integer("ops.metrics.max-routes", 512, 1, 100_000)
              .describedAs("Distinct `http_route` values before folding into `OTHER`."));

  /**
   * Path prefixes whose requests are not recorded in the request metrics: probes and scrapes are
   * not the service's users, and counting them would make a quiet service's SLIs mostly theirs.
   */
  public static final Setting<List<String>> METRICS_EXCLUDE_PATHS =
      setting(
          Setting.list(
                  "ops.metrics.exclude-paths",
                  List.of("/health", "/metrics"),
                  "paths starting with '/'",
                  OpsSettings::path)
              .describedAs(
                  "Path prefixes whose requests are not recorded in the request metrics"
                      + " (`http_server_request_duration_seconds`,"
                      + " `http_server_active_requests`): probes and scrapes are not users, and a"
                      + " quiet service's SLIs would otherwise be mostly theirs. Spans and the"
                      + " access log have their own rules."));

  /** Latency SLO thresholds, each added as an exact histogram bucket. */
  public static final Setting<List<Duration>> METRICS_SLO_LATENCIES =
      setting(
          Setting.durations(
                  "ops.metrics.slo-latencies",
                  List.of(Duration.ofMillis(500)),
                  Duration.ofMillis(1),
                  Duration.ofHours(1))
              .describedAs("Latency SLO thresholds added as exact buckets."));

  /**
   * Whether Plimsoll records the HTTP server metrics ({@code http.server.request.duration}, {@code
   * http.server.active_requests}). Off only when another recorder (the OpenTelemetry Java agent's
   * metrics export) is made the one source, so that no request is counted twice.
   */
  public static final Setting<Boolean> METRICS_HTTP_SERVER_ENABLED =
      setting(
          Setting.bool("ops.metrics.http-server.enabled", true)
              .describedAs(
                  "Plimsoll records `http_server_request_duration_seconds` and"
                      + " `http_server_active_requests`. Turn it off only to make another recorder"
                      + " (the OpenTelemetry Java agent's OTLP metrics) the one source of HTTP"
                      + " server metrics; the dashboards and alerts read Plimsoll's."));

  /** The path the metrics endpoint is served at. */
  public static final Setting<String> METRICS_PATH =
      setting(
          Setting.matching("ops.metrics.path", "/metrics", PATH_PATTERN, "a path starting with '/'")
              .describedAs("Path of the metrics endpoint."));

  /**
   * The path of the health endpoints: itself for every check, and {@code /live}, {@code /ready},
   * {@code /started} below it.
   */
  public static final Setting<String> HEALTH_PATH =
      setting(
          Setting.matching(
                  "ops.health.path",
                  "/health",
                  "/[A-Za-z0-9/_.-]*[A-Za-z0-9_.-]",
                  "a path starting with '/', not ending with '/'")
              .describedAs(
                  "Path of the health endpoints (`/live`, `/ready`, `/started` below it)."));

  /**
   * How long one health check may run before it counts as {@code DOWN} with reason {@code timeout}.
   */
  public static final Setting<Duration> HEALTH_TIMEOUT =
      setting(
          Setting.duration(
                  "ops.health.timeout",
                  Duration.ofSeconds(2),
                  Duration.ofMillis(10),
                  Duration.ofMinutes(1))
              .describedAs(
                  "Default timeout of each check; past it the check is `DOWN` with reason"
                      + " `timeout`."));

  /** How long a check's result is reused, so that a burst of probes runs each check once. */
  public static final Setting<Duration> HEALTH_CACHE_TTL =
      setting(
          Setting.duration(
                  "ops.health.cache-ttl",
                  Duration.ofSeconds(1),
                  Duration.ZERO,
                  Duration.ofMinutes(1))
              .describedAs("How long a check's result is reused by every probe."));

  /** Whether the health endpoints show each check's details (hosts, pool sizes). */
  public static final Setting<Boolean> HEALTH_SHOW_DETAILS =
      setting(
          Setting.bool("ops.health.show-details", false)
              .describedAs(
                  "Show each check's details (hosts, pool sizes, errors) in the JSON body."));

  /** The directory whose file system the disk-space check watches. */
  public static final Setting<String> HEALTH_DISK_PATH =
      setting(
          Setting.string("ops.health.disk.path", ".")
              .describedAs("Directory whose file system the `disk` check watches."));

  /** Free space, in MiB, below which the disk-space check fails; 0 turns the check off. */
  public static final Setting<Integer> HEALTH_DISK_MIN_FREE_MB =
      setting(
          Setting.integer("ops.health.disk.min-free-mb", 50, 0, 10_000_000)
              .describedAs("Free MiB below which `disk` fails; `0` removes the check."));

  /**
   * How long traffic is still served after readiness turns {@code DOWN}, before waiting for
   * requests; {@code 0s} by default when {@code ops.environment} is set to {@code development}
   * outside Kubernetes.
   */
  public static final Setting<Duration> SHUTDOWN_DRAIN_DELAY =
      setting(
          Setting.duration(
                  "ops.shutdown.drain-delay",
                  Duration.ofSeconds(5),
                  Duration.ZERO,
                  Duration.ofMinutes(5))
              .describedAs(
                  "Traffic still served after readiness turns `DOWN`. `0s` when unset and"
                      + " `ops.environment` is set to `development` outside Kubernetes (no"
                      + " `KUBERNETES_SERVICE_HOST`), and under Spring Boot's `dev` or `local`"
                      + " profile outside Kubernetes: Ctrl-C on a developer's machine does not"
                      + " wait."));

  /** How long shutdown waits for in-flight requests after the drain delay. */
  public static final Setting<Duration> SHUTDOWN_TIMEOUT =
      setting(
          Setting.duration(
                  "ops.shutdown.timeout",
                  Duration.ofSeconds(20),
                  Duration.ZERO,
                  Duration.ofMinutes(10))
              .describedAs("Wait for in-flight requests after the drain delay."));

  /** How long each closer (span flush, pool close) may take before the next one runs. */
  public static final Setting<Duration> SHUTDOWN_CLOSER_TIMEOUT =
      setting(
          Setting.duration(
                  "ops.shutdown.closer-timeout",
                  Duration.ofSeconds(5),
                  Duration.ofMillis(10),
                  Duration.ofMinutes(5))
              .describedAs("Time each closer (span flush, pool close) may take."));

  /**
   * The most the whole shutdown may take; mirror it in Kubernetes' {@code
   * terminationGracePeriodSeconds}. Drain delay plus timeout must fit in it.
   */
  public static final Setting<Duration> SHUTDOWN_BUDGET =
      setting(
          Setting.duration(
                  "ops.shutdown.budget",
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(1),
                  Duration.ofHours(1))
              .describedAs(
                  "Longest whole shutdown; mirror it in `terminationGracePeriodSeconds`. Drain"
                      + " delay plus timeout must not exceed it."));

  /** Whether a JVM shutdown hook (SIGTERM) runs the graceful shutdown. */
  public static final Setting<Boolean> SHUTDOWN_HOOK =
      setting(
          Setting.bool("ops.shutdown.hook", true)
              .describedAs(
                  "Run the graceful shutdown from a JVM shutdown hook (SIGTERM); `false` by"
                      + " default under Spring Boot, whose lifecycle runs the drain."));

  /**
   * The port of a separate management listener; when set, the metrics endpoint and the health
   * endpoint with every check answer only there, and the probes on the main port never show
   * details. Unset, everything answers on every port.
   */
  public static final Setting<Integer> MANAGEMENT_PORT =
      setting(
          Setting.integer("ops.management.port", null, 1, 65_535)
              .describedAs(
                  "Port of a separate management listener. When set, `/metrics` and `/health`"
                      + " (every check) answer only on it (404 elsewhere) and `/health/live`,"
                      + " `/ready`, `/started` on other ports never show details. Unset,"
                      + " everything answers on every port."));

  // The switches an integration (the Spring Boot starter) honours: read and validated with every
  // other setting, so a bad value is a line in the same report.

  /** Switch: the whole Spring Boot starter. */
  public static final Setting<Boolean> ENABLED = toggle("ops.enabled", "The whole starter.");

  /** Switch: the {@code /metrics} servlet of the Spring Boot starter. */
  public static final Setting<Boolean> METRICS_ENABLED =
      toggle("ops.metrics.enabled", "The `/metrics` servlet.");

  /** Switch: the starter skips Spring's {@code http.server.requests} observation. */
  public static final Setting<Boolean> METRICS_REPLACE_SPRING_HTTP_OBSERVATION =
      toggle(
          "ops.metrics.replace-spring-http-observation",
          "Skipping Spring's `http.server.requests` observation (with Actuator it would count every"
              + " request a second time, as `http_server_requests_seconds`).");

  /** Switch: the starter's health servlet and the checks it registers. */
  public static final Setting<Boolean> HEALTH_ENABLED =
      toggle("ops.health.enabled", "The `/health/*` servlet and the checks the starter registers.");

  /** Switch: one readiness check per {@code DataSource} bean. */
  public static final Setting<Boolean> HEALTH_DATASOURCE_ENABLED =
      toggle(
          "ops.health.datasource.enabled",
          "One critical readiness check per `DataSource` bean (`database`, or"
              + " `database-<bean>`).");

  /** Switch: the application's Actuator health indicators as Plimsoll checks. */
  public static final Setting<Boolean> HEALTH_ACTUATOR_ENABLED =
      toggle(
          "ops.health.actuator.enabled",
          "The application's Actuator health indicators as Plimsoll checks, in the groups"
              + " Actuator put them in: a member of Actuator's `liveness` group is a critical"
              + " `live` check, of its `readiness` group a critical `ready` check, any other a"
              + " non-critical `ready` check (shown, but it does not turn readiness down, as it"
              + " did not turn Actuator's readiness down). Named in Plimsoll's spelling"
              + " (`diskSpace` becomes `disk-space`), with Actuator's status and never its"
              + " details. Not added: `ping`, `livenessState`, `readinessState` (the"
              + " `application` check reads the same state), `db` while"
              + " `ops.health.datasource.enabled`, `diskSpace` while Plimsoll's `disk` check is"
              + " on, and any whose name Plimsoll already uses.");

  /** Switch: SERVER spans in the Spring Boot starter. */
  public static final Setting<Boolean> TRACING_ENABLED =
      toggle(
          "ops.tracing.enabled",
          "SERVER spans (an application `OpenTelemetry` bean, such as Spring Boot's, or the"
              + " agent's global one is used when there is one).");

  /** Switch: the starter's logback configuration. */
  public static final Setting<Boolean> LOG_ENABLED =
      toggle(
          "ops.log.enabled",
          "The starter's logback configuration: JSON, or text under the `dev` or `local`"
              + " profile; an application's own `logback.xml`/`logback-spring.xml` or"
              + " `logging.config` always wins.");

  /** Switch: the starter's drain before Spring's web server graceful shutdown. */
  public static final Setting<Boolean> SHUTDOWN_ENABLED =
      toggle("ops.shutdown.enabled", "The drain before Spring's web server graceful shutdown.");

  /** Switch: exit status 0 after a SIGTERM whose drain left no request running. */
  public static final Setting<Boolean> SHUTDOWN_EXIT_ZERO =
      toggle(
          "ops.shutdown.exit-zero",
          "Exit status 0 after a SIGTERM whose drain left no request running, once the other"
              + " shutdown hooks have ended (should they run past 30 s, and with this off, the"
              + " JVM's 143); `System.exit` keeps its own status.");

  /** Every setting above, in the order they are declared and documented; switches excluded. */
  public static final List<Setting<?>> ALL = List.copyOf(DECLARED_SETTINGS);

  /**
   * Every switch above ({@code ops.enabled}, {@code ops.tracing.enabled}, ...): on/off switches
   * that an integration such as the Spring Boot starter honours, all on by default, validated with
   * the settings.
   */
  public static final List<Setting<?>> SWITCHES = List.copyOf(DECLARED_SWITCHES);

  private static final Map<String, Setting<?>> DECLARED = byKey();

  /** The default environment; set explicitly, it also means no drain delay by default. */
  public static final String DEVELOPMENT = "development";

  /** The environment in which the production rules apply. */
  public static final String PRODUCTION = "production";

  /** The name used when neither {@code ops.service.name} nor {@code otel.service.name} is set. */
  public static final String UNKNOWN_SERVICE = "unknown_service:java";

  private final Map<String, @Nullable Object> values;
  private final Map<String, String> otelProperties;

  private OpsSettings(SettingsReader reader, ConfigSource source) {
    Map<String, @Nullable Object> read = new HashMap<>();
    for (Setting<?> setting : declared()) {
      read.put(setting.key(), reader.get(setting));
    }
    if (read.get(SERVICE_NAME.key()) == null) {
      String otelName = source.get("otel.service.name");
      read.put(
          SERVICE_NAME.key(),
          otelName != null && !otelName.isBlank() ? otelName.trim() : UNKNOWN_SERVICE);
    }
    // A developer who says so (OPS_ENVIRONMENT=development) has no load balancer to wait for on
    // Ctrl-C. The implicit default environment, and any pod (a development cluster too), keep the
    // drain: there, endpoints are still being removed when SIGTERM comes.
    if (!reader.isSet(SHUTDOWN_DRAIN_DELAY)
        && reader.isSet(ENVIRONMENT)
        && DEVELOPMENT.equals(read.get(ENVIRONMENT.key()))
        && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
      read.put(SHUTDOWN_DRAIN_DELAY.key(), Duration.ZERO);
    }
    this.values = Collections.unmodifiableMap(read);
    this.otelProperties = Map.copyOf(source.withPrefix("otel."));
    checkRulesBetweenSettings(reader);
  }

  /**
   * The rules that span settings, each reported against the setting to change. They run on the
   * values as read (an invalid value stands in as its default, already reported).
   */
  private void checkRulesBetweenSettings(SettingsReader reader) {
    if (traceIdField().equals(spanIdField())) {
      reader.problem(LOG_SPAN_ID_FIELD, "same as " + LOG_TRACE_ID_FIELD.key());
    }
    checkShutdownBudget(reader);
    String healthPath = healthPath();
    String metricsPath = metricsPath();
    if (healthPath.equals(metricsPath) || metricsPath.startsWith(healthPath + "/")) {
      reader.problem(METRICS_PATH, "inside " + HEALTH_PATH.key() + " (" + healthPath + ")");
    }
    String logLevel = logLevel();
    if (reader.isProduction() && (logLevel.equals("debug") || logLevel.equals("trace"))) {
      reader.problem(LOG_LEVEL, "debug logging must be off in production (" + logLevel + ")");
    }
  }

  /** Drain delay plus timeout must fit in the shutdown budget. */
  private void checkShutdownBudget(SettingsReader reader) {
    Duration drainDelay = drainDelay();
    Duration shutdownTimeout = shutdownTimeout();
    if (!ShutdownBudget.fits(drainDelay, shutdownTimeout, shutdownBudget())) {
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

  /** Every setting, then every switch: all that {@link #validate} reads. */
  static List<Setting<?>> declared() {
    List<Setting<?>> all = new ArrayList<>(ALL);
    all.addAll(SWITCHES);
    return all;
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

  /**
   * The problems of the {@code otel.*} values (the {@code OTEL_*} variables) in {@code source} that
   * Plimsoll's own OpenTelemetry SDK reads, empty when it can honour them all. They matter only
   * when Plimsoll builds that SDK, not when it uses an OpenTelemetry the application already has.
   */
  public static List<ConfigProblem> validateOpenTelemetry(ConfigSource source) {
    return OtelRules.check(requireNonNull(source, "source"));
  }

  /**
   * The value of one of the settings or switches above: what the source set, else its default;
   * {@code null} only for a setting without a default that is not set (such as {@link
   * #MANAGEMENT_PORT}).
   *
   * @throws IllegalArgumentException if {@code setting} is not one of Plimsoll's declarations
   */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Setting<T> setting) {
    requireNonNull(setting, "setting");
    if (DECLARED.get(setting.key()) != setting) {
      throw new IllegalArgumentException("not one of Plimsoll's settings: " + setting.key());
    }
    return (T) values.get(setting.key());
  }

  private <T> T value(Setting<T> setting) {
    return requireNonNull(get(setting), setting.key());
  }

  private static Map<String, Setting<?>> byKey() {
    Map<String, Setting<?>> byKey = new HashMap<>();
    for (List<Setting<?>> list : List.of(DECLARED_SETTINGS, DECLARED_SWITCHES)) {
      for (Setting<?> setting : list) {
        if (byKey.putIfAbsent(setting.key(), setting) != null) {
          throw new IllegalStateException("declared twice: " + setting.key());
        }
      }
    }
    return Map.copyOf(byKey);
  }

  private static <T> Setting<T> setting(Setting<T> declaration) {
    DECLARED_SETTINGS.add(declaration);
    return declaration;
  }

  private static Setting<Boolean> toggle(String key, String turnsOff) {
    Setting<Boolean> declaration = Setting.bool(key, true).describedAs(turnsOff);
    DECLARED_SWITCHES.add(declaration);
    return declaration;
  }

  private static String path(String raw) {
    if (!raw.startsWith("/")) {
      throw new IllegalArgumentException("a path must start with '/'");
    }
    return raw;
  }

  /**
   * See {@link #SERVICE_NAME}; falls back to {@code otel.service.name}, then {@link
   * #UNKNOWN_SERVICE}.
   */
  public String serviceName() {
    return value(SERVICE_NAME);
  }

  /** See {@link #SERVICE_VERSION}; {@code null} when not set. */
  public @Nullable String serviceVersion() {
    return get(SERVICE_VERSION);
  }

  /** See {@link #VCS_REVISION}; {@code null} when not set. */
  public @Nullable String vcsRevision() {
    return get(VCS_REVISION);
  }

  /** See {@link #ENVIRONMENT}. */
  public String environment() {
    return value(ENVIRONMENT);
  }

  /** See {@link #LOG_FORMAT}: {@code json} or {@code text}. */
  public String logFormat() {
    return value(LOG_FORMAT);
  }

  /** See {@link #LOG_LEVEL}, in lower case. */
  public String logLevel() {
    return value(LOG_LEVEL);
  }

  /** See {@link #LOG_TRACE_ID_FIELD}. */
  public String traceIdField() {
    return value(LOG_TRACE_ID_FIELD);
  }

  /** See {@link #LOG_SPAN_ID_FIELD}. */
  public String spanIdField() {
    return value(LOG_SPAN_ID_FIELD);
  }

  /** See {@link #ACCESS_LOG_ENABLED}. */
  public boolean accessLogEnabled() {
    return value(ACCESS_LOG_ENABLED);
  }

  /** See {@link #ACCESS_LOG_SAMPLE_RATE}. */
  public double accessLogSampleRate() {
    return value(ACCESS_LOG_SAMPLE_RATE);
  }

  /** See {@link #ACCESS_LOG_EXCLUDE_PATHS}. */
  public List<String> accessLogExcludePaths() {
    return value(ACCESS_LOG_EXCLUDE_PATHS);
  }

  /** See {@link #REQUEST_ID_HEADER}. */
  public String requestIdHeader() {
    return value(REQUEST_ID_HEADER);
  }

  /** See {@link #TRUSTED_PROXIES}. */
  public List<IpRange> trustedProxies() {
    return value(TRUSTED_PROXIES);
  }

  /** See {@link #METRICS_HTTP_SERVER_ENABLED}. */
  public boolean httpServerMetricsEnabled() {
    return value(METRICS_HTTP_SERVER_ENABLED);
  }

  /** See {@link #METRICS_MAX_ROUTES}. */
  public int maxRoutes() {
    return value(METRICS_MAX_ROUTES);
  }

  /** See {@link #METRICS_EXCLUDE_PATHS}. */
  public List<String> metricsExcludePaths() {
    return value(METRICS_EXCLUDE_PATHS);
  }

  /** See {@link #METRICS_SLO_LATENCIES}. */
  public List<Duration> sloLatencies() {
    return value(METRICS_SLO_LATENCIES);
  }

  /** See {@link #METRICS_PATH}. */
  public String metricsPath() {
    return value(METRICS_PATH);
  }

  /** See {@link #HEALTH_PATH}. */
  public String healthPath() {
    return value(HEALTH_PATH);
  }

  /** See {@link #HEALTH_TIMEOUT}. */
  public Duration healthTimeout() {
    return value(HEALTH_TIMEOUT);
  }

  /** See {@link #HEALTH_CACHE_TTL}. */
  public Duration healthCacheTtl() {
    return value(HEALTH_CACHE_TTL);
  }

  /** See {@link #HEALTH_SHOW_DETAILS}. */
  public boolean healthShowDetails() {
    return value(HEALTH_SHOW_DETAILS);
  }

  /** See {@link #HEALTH_DISK_PATH}. */
  public String healthDiskPath() {
    return value(HEALTH_DISK_PATH);
  }

  /** See {@link #HEALTH_DISK_MIN_FREE_MB}. */
  public int healthDiskMinFreeMb() {
    return value(HEALTH_DISK_MIN_FREE_MB);
  }

  /** See {@link #SHUTDOWN_DRAIN_DELAY}. */
  public Duration drainDelay() {
    return value(SHUTDOWN_DRAIN_DELAY);
  }

  /** See {@link #SHUTDOWN_TIMEOUT}. */
  public Duration shutdownTimeout() {
    return value(SHUTDOWN_TIMEOUT);
  }

  /** See {@link #SHUTDOWN_CLOSER_TIMEOUT}. */
  public Duration closerTimeout() {
    return value(SHUTDOWN_CLOSER_TIMEOUT);
  }

  /** See {@link #SHUTDOWN_BUDGET}. */
  public Duration shutdownBudget() {
    return value(SHUTDOWN_BUDGET);
  }

  /** See {@link #SHUTDOWN_HOOK}. */
  public boolean shutdownHook() {
    return value(SHUTDOWN_HOOK);
  }

  /** See {@link #MANAGEMENT_PORT}; {@code null} when everything answers on every port. */
  public @Nullable Integer managementPort() {
    return get(MANAGEMENT_PORT);
  }

  /** Every {@code otel.*} key the source set ({@code OTEL_*} variables in canonical form). */
  public Map<String, String> otelProperties() {
    return otelProperties;
  }
}
