package dev.plimsoll.ops.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code ops.*} property, documented for IDEs through the generated configuration metadata.
 * The values themselves are read and validated by Plimsoll's core ({@code OpsSettings}) from the
 * Spring {@code Environment}, with relaxed names ({@code OPS_SHUTDOWN_DRAIN_DELAY} works), so every
 * invalid value is reported at once, before any bean is created; this class is the schema, not a
 * bean. Defaults here are Plimsoll's defaults.
 */
@ConfigurationProperties(prefix = "ops")
public class PlimsollProperties {

  /** Whether Plimsoll is wired into the application at all. */
  private boolean enabled = true;

  /**
   * The deployment environment, such as production or staging; production rules apply in
   * production.
   */
  private String environment = "development";

  private final Service service = new Service();
  private final Vcs vcs = new Vcs();
  private final Log log = new Log();
  private final AccessLog accessLog = new AccessLog();
  private final RequestId requestId = new RequestId();
  private final Http http = new Http();
  private final Metrics metrics = new Metrics();
  private final Tracing tracing = new Tracing();
  private final Health health = new Health();
  private final Shutdown shutdown = new Shutdown();
  private final Management management = new Management();

  /** Creates the defaults. */
  public PlimsollProperties() {}

  /** See the field. @return whether Plimsoll is on */
  public boolean isEnabled() {
    return enabled;
  }

  /** See the field. @param enabled whether Plimsoll is on */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** See the field. @return the environment */
  public String getEnvironment() {
    return environment;
  }

  /** See the field. @param environment the environment */
  public void setEnvironment(String environment) {
    this.environment = environment;
  }

  /**
   * @return service identity
   */
  public Service getService() {
    return service;
  }

  /**
   * @return VCS information
   */
  public Vcs getVcs() {
    return vcs;
  }

  /**
   * @return logging
   */
  public Log getLog() {
    return log;
  }

  /**
   * @return the access log
   */
  public AccessLog getAccessLog() {
    return accessLog;
  }

  /**
   * @return the request ID
   */
  public RequestId getRequestId() {
    return requestId;
  }

  /**
   * @return HTTP
   */
  public Http getHttp() {
    return http;
  }

  /**
   * @return metrics
   */
  public Metrics getMetrics() {
    return metrics;
  }

  /**
   * @return tracing
   */
  public Tracing getTracing() {
    return tracing;
  }

  /**
   * @return health checks
   */
  public Health getHealth() {
    return health;
  }

  /**
   * @return graceful shutdown
   */
  public Shutdown getShutdown() {
    return shutdown;
  }

  /**
   * @return the management listener
   */
  public Management getManagement() {
    return management;
  }

  /** Service identity. */
  public static class Service {
    /** The service name on every metric, log line and span; defaults to spring.application.name. */
    private @Nullable String name;

    /** The service version; defaults to the application jar's Implementation-Version. */
    private @Nullable String version;

    /**
     * @return the name
     */
    public @Nullable String getName() {
      return name;
    }

    /**
     * @param name the name
     */
    public void setName(@Nullable String name) {
      this.name = name;
    }

    /**
     * @return the version
     */
    public @Nullable String getVersion() {
      return version;
    }

    /**
     * @param version the version
     */
    public void setVersion(@Nullable String version) {
      this.version = version;
    }
  }

  /** VCS information. */
  public static class Vcs {
    /** The VCS revision the service was built from; defaults to the manifest's SCM-Revision. */
    private @Nullable String revision;

    /**
     * @return the revision
     */
    public @Nullable String getRevision() {
      return revision;
    }

    /**
     * @param revision the revision
     */
    public void setRevision(@Nullable String revision) {
      this.revision = revision;
    }
  }

  /** Logging. */
  public static class Log {
    /** Whether the starter configures logback (JSON; text under the dev or local profile). */
    private boolean enabled = true;

    /**
     * json for one JSON object per line, text for people; unset, text under the dev or local
     * profile.
     */
    private @Nullable String format;

    /** The root log level: trace, debug, info, warn or error. */
    private String level = "info";

    /** The log field that carries the trace ID. */
    private String traceIdField = "trace_id";

    /** The log field that carries the span ID. */
    private String spanIdField = "span_id";

    /**
     * @return whether logging is configured
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether logging is configured
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * @return the format
     */
    public @Nullable String getFormat() {
      return format;
    }

    /**
     * @param format the format
     */
    public void setFormat(@Nullable String format) {
      this.format = format;
    }

    /**
     * @return the level
     */
    public String getLevel() {
      return level;
    }

    /**
     * @param level the level
     */
    public void setLevel(String level) {
      this.level = level;
    }

    /**
     * @return the trace ID field
     */
    public String getTraceIdField() {
      return traceIdField;
    }

    /**
     * @param traceIdField the trace ID field
     */
    public void setTraceIdField(String traceIdField) {
      this.traceIdField = traceIdField;
    }

    /**
     * @return the span ID field
     */
    public String getSpanIdField() {
      return spanIdField;
    }

    /**
     * @param spanIdField the span ID field
     */
    public void setSpanIdField(String spanIdField) {
      this.spanIdField = spanIdField;
    }
  }

  /** The access log. */
  public static class AccessLog {
    /** Whether one access-log event is written per request. */
    private boolean enabled = true;

    /** Path prefixes whose requests are not access-logged (probes and scrapes). */
    private List<String> excludePaths = new ArrayList<>(List.of("/health", "/metrics"));

    /**
     * @return whether enabled
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * @return the excluded paths
     */
    public List<String> getExcludePaths() {
      return excludePaths;
    }

    /**
     * @param excludePaths the excluded paths
     */
    public void setExcludePaths(List<String> excludePaths) {
      this.excludePaths = excludePaths;
    }
  }

  /** The request ID. */
  public static class RequestId {
    /** The header that carries the request ID, read from requests and echoed in responses. */
    private String header = "X-Request-ID";

    /**
     * @return the header
     */
    public String getHeader() {
      return header;
    }

    /**
     * @param header the header
     */
    public void setHeader(String header) {
      this.header = header;
    }
  }

  /** HTTP. */
  public static class Http {
    /** Proxies whose X-Forwarded-For is believed, as addresses or CIDR ranges. */
    private List<String> trustedProxies = new ArrayList<>();

    /**
     * @return the trusted proxies
     */
    public List<String> getTrustedProxies() {
      return trustedProxies;
    }

    /**
     * @param trustedProxies the trusted proxies
     */
    public void setTrustedProxies(List<String> trustedProxies) {
      this.trustedProxies = trustedProxies;
    }
  }

  /** Metrics. */
  public static class Metrics {
    /** Whether the metrics endpoint is served. */
    private boolean enabled = true;

    /** The most distinct route labels recorded; the rest fold into OTHER. */
    private int maxRoutes = 512;

    /** Latency SLO thresholds, each added as an exact histogram bucket. */
    private List<Duration> sloLatencies = new ArrayList<>(List.of(Duration.ofMillis(500)));

    /** The path the metrics endpoint is served at. */
    private String path = "/metrics";

    /** Skip Spring's http.server.requests observation, which would count each request again. */
    private boolean replaceSpringHttpObservation = true;

    /**
     * @return whether Spring's HTTP server observation is skipped
     */
    public boolean isReplaceSpringHttpObservation() {
      return replaceSpringHttpObservation;
    }

    /**
     * @param replace whether Spring's HTTP server observation is skipped
     */
    public void setReplaceSpringHttpObservation(boolean replace) {
      this.replaceSpringHttpObservation = replace;
    }

    /**
     * @return whether enabled
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * @return the route cap
     */
    public int getMaxRoutes() {
      return maxRoutes;
    }

    /**
     * @param maxRoutes the route cap
     */
    public void setMaxRoutes(int maxRoutes) {
      this.maxRoutes = maxRoutes;
    }

    /**
     * @return the SLO thresholds
     */
    public List<Duration> getSloLatencies() {
      return sloLatencies;
    }

    /**
     * @param sloLatencies the SLO thresholds
     */
    public void setSloLatencies(List<Duration> sloLatencies) {
      this.sloLatencies = sloLatencies;
    }

    /**
     * @return the path
     */
    public String getPath() {
      return path;
    }

    /**
     * @param path the path
     */
    public void setPath(String path) {
      this.path = path;
    }
  }

  /** Tracing; configured with the standard OTEL_* variables. */
  public static class Tracing {
    /** Whether Plimsoll starts SERVER spans (and exports them when an OTLP endpoint is set). */
    private boolean enabled = true;

    /**
     * @return whether enabled
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Health checks and probes. */
  public static class Health {
    /** Whether the health endpoints are served. */
    private boolean enabled = true;

    /** The path of the health endpoints: itself for every check, /live, /ready, /started below. */
    private String path = "/health";

    /** How long one check may run before it counts as DOWN with reason timeout. */
    private Duration timeout = Duration.ofSeconds(2);

    /** How long a check's result is reused, so that a burst of probes runs each check once. */
    private Duration cacheTtl = Duration.ofSeconds(1);

    /** Whether the health endpoints show each check's details (hosts, pool sizes). */
    private boolean showDetails = false;

    private final Disk disk = new Disk();

    private final DataSourceChecks datasource = new DataSourceChecks();

    /**
     * @return the data source checks
     */
    public DataSourceChecks getDatasource() {
      return datasource;
    }

    /**
     * @return whether enabled
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * @return the path
     */
    public String getPath() {
      return path;
    }

    /**
     * @param path the path
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * @return the timeout
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * @param timeout the timeout
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * @return the cache TTL
     */
    public Duration getCacheTtl() {
      return cacheTtl;
    }

    /**
     * @param cacheTtl the cache TTL
     */
    public void setCacheTtl(Duration cacheTtl) {
      this.cacheTtl = cacheTtl;
    }

    /**
     * @return whether details are shown
     */
    public boolean isShowDetails() {
      return showDetails;
    }

    /**
     * @param showDetails whether details are shown
     */
    public void setShowDetails(boolean showDetails) {
      this.showDetails = showDetails;
    }

    /**
     * @return the disk-space check
     */
    public Disk getDisk() {
      return disk;
    }
  }

  /** Data source checks. */
  public static class DataSourceChecks {
    /** Whether every DataSource bean becomes a critical readiness check. */
    private boolean enabled = true;

    /**
     * @return whether enabled
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** The disk-space check. */
  public static class Disk {
    /** The directory whose file system the disk-space check watches. */
    private String path = ".";

    /** Free space, in MiB, below which the disk-space check fails; 0 turns the check off. */
    private int minFreeMb = 50;

    /**
     * @return the path
     */
    public String getPath() {
      return path;
    }

    /**
     * @param path the path
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * @return the minimum free MiB
     */
    public int getMinFreeMb() {
      return minFreeMb;
    }

    /**
     * @param minFreeMb the minimum free MiB
     */
    public void setMinFreeMb(int minFreeMb) {
      this.minFreeMb = minFreeMb;
    }
  }

  /** Graceful shutdown. */
  public static class Shutdown {
    /** Whether readiness drops and traffic drains before Spring stops the web server. */
    private boolean enabled = true;

    /** How long traffic is still served after readiness turns DOWN. */
    private Duration drainDelay = Duration.ofSeconds(5);

    /** How long shutdown waits for in-flight requests after the drain delay. */
    private Duration timeout = Duration.ofSeconds(20);

    /** How long each closer (span flush, pool close) may take. */
    private Duration closerTimeout = Duration.ofSeconds(5);

    /** The most the whole shutdown may take; mirror it in terminationGracePeriodSeconds. */
    private Duration budget = Duration.ofSeconds(30);

    /** Plimsoll's own JVM shutdown hook; off under Spring, whose lifecycle runs the drain. */
    private boolean hook = false;

    /** Exit with status 0, not 143, when SIGTERM led to a drain that left no request running. */
    private boolean exitZero = true;

    /**
     * @return whether a clean SIGTERM exits with 0
     */
    public boolean isExitZero() {
      return exitZero;
    }

    /**
     * @param exitZero whether a clean SIGTERM exits with 0
     */
    public void setExitZero(boolean exitZero) {
      this.exitZero = exitZero;
    }

    /**
     * @return whether enabled
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * @param enabled whether enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * @return the drain delay
     */
    public Duration getDrainDelay() {
      return drainDelay;
    }

    /**
     * @param drainDelay the drain delay
     */
    public void setDrainDelay(Duration drainDelay) {
      this.drainDelay = drainDelay;
    }

    /**
     * @return the timeout
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * @param timeout the timeout
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * @return the closer timeout
     */
    public Duration getCloserTimeout() {
      return closerTimeout;
    }

    /**
     * @param closerTimeout the closer timeout
     */
    public void setCloserTimeout(Duration closerTimeout) {
      this.closerTimeout = closerTimeout;
    }

    /**
     * @return the budget
     */
    public Duration getBudget() {
      return budget;
    }

    /**
     * @param budget the budget
     */
    public void setBudget(Duration budget) {
      this.budget = budget;
    }

    /**
     * @return whether Plimsoll's own hook runs
     */
    public boolean isHook() {
      return hook;
    }

    /**
     * @param hook whether Plimsoll's own hook runs
     */
    public void setHook(boolean hook) {
      this.hook = hook;
    }
  }

  /** The management listener. */
  public static class Management {
    /**
     * Port of a separate management listener (an extra connector on the embedded Tomcat); when set,
     * /metrics and /health with every check answer only there, and the probes on the main port
     * never show details. Unset, everything answers on the main port.
     */
    private @Nullable Integer port;

    /**
     * @return the management port, or null
     */
    public @Nullable Integer getPort() {
      return port;
    }

    /**
     * @param port the management port
     */
    public void setPort(@Nullable Integer port) {
      this.port = port;
    }
  }
}
