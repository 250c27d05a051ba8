package dev.plimsoll.ops;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.LoggerContext;
import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.health.DeadlockHealthCheck;
import dev.plimsoll.ops.health.DiskSpaceHealthCheck;
import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.http.ClientAddressResolver;
import dev.plimsoll.ops.logging.AccessLog;
import dev.plimsoll.ops.logging.LogCorrelation;
import dev.plimsoll.ops.logging.LogbackSetup;
import dev.plimsoll.ops.metrics.BuildInfo;
import dev.plimsoll.ops.metrics.HttpServerMetrics;
import dev.plimsoll.ops.metrics.InstrumentationFailures;
import dev.plimsoll.ops.metrics.PrometheusMetrics;
import dev.plimsoll.ops.shutdown.ShutdownCoordinator;
import dev.plimsoll.ops.tracing.HttpServerTracing;
import dev.plimsoll.ops.tracing.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Everything a service's requests report through and its platform probes: the Prometheus registry
 * with HTTP metrics, tracing, the access log and log correlation, the health checks and the
 * graceful shutdown, all built from one {@link OpsSettings}. Create one per process; with {@code
 * ops.shutdown.hook=true} (the default) SIGTERM runs the graceful shutdown.
 *
 * <pre>{@code
 * Plimsoll plimsoll = Plimsoll.builder().applicationClass(Main.class).build();
 * }</pre>
 */
public final class Plimsoll implements AutoCloseable {

  private final OpsSettings settings;
  private final BuildInfo buildInfo;
  private final Tracing tracing;
  private final PrometheusMetrics metrics;
  private final HttpServerMetrics httpMetrics;
  private final HttpServerTracing httpTracing;
  private final InstrumentationFailures failures;
  private final AccessLog accessLog;
  private final LogCorrelation correlation;
  private final ClientAddressResolver clientAddresses;
  private final HealthRegistry health;
  private final ShutdownCoordinator shutdown;

  private Plimsoll(Builder builder) {
    this.settings = builder.settings != null ? builder.settings : OpsSettings.fromEnvironment();
    this.buildInfo =
        BuildInfo.resolve(
            settings.serviceVersion(), settings.vcsRevision(), builder.applicationClass);
    // Before the registry exists: reconfiguring logback drops the turbo filter its binder adds.
    refreshLogging(settings, buildInfo);
    this.tracing =
        builder.openTelemetry != null
            ? Tracing.of(builder.openTelemetry)
            : Tracing.create(
                settings.serviceName(),
                buildInfo.serviceVersion(),
                settings.environment(),
                settings.otelProperties());
    this.metrics =
        PrometheusMetrics.create(
            settings.serviceName(), settings.environment(), buildInfo, tracing.exemplarContext());
    tracing.exportFailures().bindTo(metrics.registry());
    this.httpMetrics =
        new HttpServerMetrics(metrics.registry(), settings.maxRoutes(), settings.sloLatencies());
    this.httpTracing = new HttpServerTracing(tracing);
    this.failures = new InstrumentationFailures(metrics.registry());
    this.accessLog = new AccessLog(settings.accessLogEnabled(), settings.accessLogExcludePaths());
    this.correlation = new LogCorrelation(settings.traceIdField(), settings.spanIdField());
    this.clientAddresses = ClientAddressResolver.trusting(settings.trustedProxies());
    this.health = defaultHealth(settings, metrics);
    this.shutdown = ShutdownCoordinator.builder().settings(settings).health(health).build();
    // Closers run in reverse: the application's pools first, then health, spans, metrics.
    shutdown.addCloser("metrics", metrics::close);
    shutdown.addCloser("tracing", () -> tracing.shutdown(settings.closerTimeout()));
    shutdown.addCloser("health", health::close);
    if (settings.shutdownHook()) {
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
          && LogbackSetup.isConfiguredByPlimsoll(context)) {
        shutdown.lastly("logging", context::stop);
      }
      shutdown.installShutdownHook();
    }
  }

  private static HealthRegistry defaultHealth(OpsSettings settings, PrometheusMetrics metrics) {
    HealthRegistry registry =
        HealthRegistry.builder()
            .defaultTimeout(settings.healthTimeout())
            .defaultCacheTtl(settings.healthCacheTtl())
            .meterRegistry(metrics.registry())
            .lifecycle(HealthRegistry.Lifecycle.STARTING)
            .build();
    registry.register(
        HealthCheckRegistration.builder("deadlock", DeadlockHealthCheck.create())
            .groups(HealthGroup.LIVE)
            .build());
    if (settings.healthDiskMinFreeMb() > 0) {
      registry.register(
          HealthCheckRegistration.builder(
                  "disk",
                  DiskSpaceHealthCheck.of(
                      Path.of(settings.healthDiskPath()),
                      settings.healthDiskMinFreeMb() * 1024L * 1024L))
              .groups(HealthGroup.READY)
              .critical(false)
              .build());
    }
    return registry;
  }

  /** Settings from the environment, everything else by default. */
  public static Plimsoll create() {
    return builder().build();
  }

  /** A builder; {@link Builder#build()} reads the environment unless settings are given. */
  public static Builder builder() {
    return new Builder();
  }

  private static void refreshLogging(OpsSettings settings, BuildInfo buildInfo) {
    // Logback was configured before the build information was known; fill in the version now,
    // unless the application configured logback itself.
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && LogbackSetup.isConfiguredByPlimsoll(context)) {
      LogbackSetup.configure(context, settings, buildInfo.serviceVersion());
    }
  }

  /** The settings in force. */
  public OpsSettings settings() {
    return settings;
  }

  /** The build information published as {@code ops_build_info}. */
  public BuildInfo buildInfo() {
    return buildInfo;
  }

  /** The Prometheus registry and its scrapes. */
  public PrometheusMetrics metrics() {
    return metrics;
  }

  /** The HTTP server metrics. */
  public HttpServerMetrics httpMetrics() {
    return httpMetrics;
  }

  /** Tracing. */
  public Tracing tracing() {
    return tracing;
  }

  /** SERVER spans. */
  public HttpServerTracing httpTracing() {
    return httpTracing;
  }

  /** Where instrumentation reports its own failures. */
  public InstrumentationFailures failures() {
    return failures;
  }

  /** The access log. */
  public AccessLog accessLog() {
    return accessLog;
  }

  /** The MDC keys of request, trace and span IDs. */
  public LogCorrelation correlation() {
    return correlation;
  }

  /** Client addresses behind trusted proxies. */
  public ClientAddressResolver clientAddresses() {
    return clientAddresses;
  }

  /**
   * The health checks behind the probes: {@code deadlock} (liveness) and {@code disk} (readiness,
   * not critical) to begin with. Readiness says {@code starting} until {@link
   * HealthRegistry#markStarted()} (the servlet filter calls it when it is initialised).
   */
  public HealthRegistry health() {
    return health;
  }

  /**
   * The graceful shutdown; register connection pools with {@link ShutdownCoordinator#addCloser}.
   */
  public ShutdownCoordinator shutdown() {
    return shutdown;
  }

  /**
   * Releases everything at once, without draining: runs the closers (the application's, then
   * health, tracing with a span flush, metrics) and removes the shutdown hook. For a graceful stop
   * call {@code shutdown().shutdown()} instead.
   */
  @Override
  public void close() {
    shutdown.close();
  }

  /** Builds a {@link Plimsoll}. Not thread-safe. */
  public static final class Builder {
    private @Nullable OpsSettings settings;
    private @Nullable Class<?> applicationClass;
    private @Nullable OpenTelemetry openTelemetry;

    private Builder() {}

    /** Uses these settings instead of reading the environment. */
    public Builder settings(OpsSettings settings) {
      this.settings = requireNonNull(settings, "settings");
      return this;
    }

    /** A class of the application, whose jar manifest gives the version and revision. */
    public Builder applicationClass(Class<?> applicationClass) {
      this.applicationClass = requireNonNull(applicationClass, "applicationClass");
      return this;
    }

    /** Uses the application's OpenTelemetry (an agent's, a framework's) instead of building one. */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Builds it.
     *
     * @throws ConfigException if settings were read from the environment and are invalid
     */
    public Plimsoll build() {
      return new Plimsoll(this);
    }
  }
}
