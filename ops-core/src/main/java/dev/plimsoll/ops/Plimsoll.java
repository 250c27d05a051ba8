package dev.plimsoll.ops;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.LoggerContext;
import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.health.DeadlockHealthCheck;
import dev.plimsoll.ops.health.DiskSpaceHealthCheck;
import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.http.HttpServerObserver;
import dev.plimsoll.ops.internal.RequestObserver;
import dev.plimsoll.ops.logging.internal.LogbackSetup;
import dev.plimsoll.ops.metrics.BuildInfo;
import dev.plimsoll.ops.metrics.MetricNames;
import dev.plimsoll.ops.metrics.PrometheusMetrics;
import dev.plimsoll.ops.shutdown.ShutdownCoordinator;
import dev.plimsoll.ops.tracing.Tracing;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  private final HealthRegistry health;
  private final ShutdownCoordinator shutdown;
  private final HttpServerObserver httpServer;

  private Plimsoll(Builder builder, OpsSettings settings, @Nullable OpenTelemetry openTelemetry) {
    this.settings = settings;
    this.buildInfo =
        BuildInfo.resolve(
            settings.serviceVersion(), settings.vcsRevision(), builder.applicationClass);
    // Before the registry exists: reconfiguring logback drops the turbo filter its binder adds.
    refreshLogging(settings, buildInfo);
    this.tracing =
        openTelemetry != null
            ? Tracing.of(openTelemetry)
            : Tracing.create(
                settings.serviceName(),
                buildInfo.serviceVersion(),
                settings.environment(),
                settings.otelProperties());
    this.metrics =
        builder.meterRegistry != null
            ? PrometheusMetrics.of(builder.meterRegistry, buildInfo, builder.bindRuntimeMeters)
            : PrometheusMetrics.create(
                settings.serviceName(),
                settings.environment(),
                buildInfo,
                tracing.exemplarContext());
    tracing.bindTo(metrics.registry());
    if (!settings.httpServerMetricsEnabled()) {
      // Registered as no-op meters: the filter records as usual, nothing is exposed.
      metrics
          .registry()
          .config()
          .meterFilter(
              MeterFilter.deny(
                  id ->
                      id.getName().equals(MetricNames.HTTP_SERVER_REQUEST_DURATION)
                          || id.getName().equals(MetricNames.HTTP_SERVER_ACTIVE_REQUESTS)));
    }
    this.health = defaultHealth(settings, metrics);
    this.shutdown = ShutdownCoordinator.builder().settings(settings).health(health).build();
    this.httpServer = RequestObserver.create(settings, metrics.registry(), tracing, shutdown);
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

  /** Tracing. */
  public Tracing tracing() {
    return tracing;
  }

  /**
   * What server adapters report their requests to: metrics, SERVER spans, the access log, log
   * correlation and the in-flight count of the graceful shutdown, for any server (the servlet
   * filter is one adapter).
   */
  public HttpServerObserver httpServer() {
    return httpServer;
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
    private @Nullable PrometheusMeterRegistry meterRegistry;
    private boolean bindRuntimeMeters = true;

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

    /**
     * Uses the application's OpenTelemetry (a framework's) instead of building one. Without it,
     * Plimsoll uses the one installed for the process ({@code GlobalOpenTelemetry}: the Java
     * agent's, or the application's own), and builds its own SDK only when there is none.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Reports into {@code registry} (made by {@link PrometheusMetrics#newRegistry}, then configured
     * by a framework) instead of creating one. With {@code bindRuntimeMeters} false the framework
     * binds the JVM, process and logging meters and Plimsoll adds only its own.
     */
    public Builder meterRegistry(PrometheusMeterRegistry registry, boolean bindRuntimeMeters) {
      this.meterRegistry = requireNonNull(registry, "registry");
      this.bindRuntimeMeters = bindRuntimeMeters;
      return this;
    }

    /**
     * Builds it.
     *
     * @throws ConfigException if settings were read from the environment and are invalid, or if
     *     Plimsoll builds its own OpenTelemetry SDK and an {@code OTEL_*} value is one it cannot
     *     honour; every problem is in one report
     */
    public Plimsoll build() {
      OpenTelemetry existing = openTelemetry != null ? openTelemetry : Tracing.installed();
      OpsSettings given = settings;
      if (given == null) {
        ConfigSource source = ConfigSource.standard();
        List<ConfigProblem> problems = new ArrayList<>(OpsSettings.validate(source));
        if (existing == null) {
          problems.addAll(OpsSettings.validateOpenTelemetry(source));
        }
        if (!problems.isEmpty()) {
          throw new ConfigException(problems);
        }
        given = OpsSettings.from(source);
      }
      return new Plimsoll(this, given, existing);
    }
  }
}
