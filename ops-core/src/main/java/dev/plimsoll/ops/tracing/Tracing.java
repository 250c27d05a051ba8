package dev.plimsoll.ops.tracing;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.tracing.internal.QueueFullReader;
import dev.plimsoll.ops.tracing.internal.SpanExportFailures;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry tracing for a service, configured from the standard {@code OTEL_*} variables with
 * Plimsoll's defaults: spans are exported over OTLP/HTTP only when an OTLP endpoint is set ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) or {@code
 * OTEL_TRACES_EXPORTER} asks for it; otherwise nothing is exported or retried, but spans still get
 * IDs so logs correlate. Export goes through the SDK's bounded batch queue and never blocks a
 * request. Metrics and logs are not exported over OTLP: Prometheus and the JSON log cover them.
 */
public final class Tracing implements AutoCloseable {

  /** The instrumentation scope name of Plimsoll's spans. */
  public static final String INSTRUMENTATION_NAME = "dev.plimsoll.ops";

  private static final AttributeKey<String> SERVICE_VERSION =
      AttributeKey.stringKey("service.version");
  private static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT =
      AttributeKey.stringKey("deployment.environment.name");

  /**
   * The exporters' own loggers, which log every failed export (throttled, through
   * java.util.logging, as multi-line text with a stack trace). Plimsoll counts those failures and
   * logs the first once, so these are turned off once Plimsoll builds an SDK. Held here because
   * java.util.logging forgets the level of a logger nobody references.
   */
  private static final List<java.util.logging.Logger> EXPORTER_LOGGERS =
      List.of(
          java.util.logging.Logger.getLogger(
              "io.opentelemetry.exporter.internal.http.HttpExporter"),
          java.util.logging.Logger.getLogger(
              "io.opentelemetry.exporter.internal.grpc.GrpcExporter"));

  private final OpenTelemetry openTelemetry;
  private final @Nullable OpenTelemetrySdk ownedSdk;
  private final Tracer tracer;
  private final SpanExportFailures exportFailures;

  private Tracing(
      OpenTelemetry openTelemetry,
      @Nullable OpenTelemetrySdk ownedSdk,
      SpanExportFailures exportFailures) {
    this.openTelemetry = openTelemetry;
    this.ownedSdk = ownedSdk;
    this.exportFailures = exportFailures;
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
  }

  /**
   * Builds and owns an OpenTelemetry SDK.
   *
   * @param serviceName the {@code service.name} resource attribute
   * @param serviceVersion the {@code service.version} resource attribute
   * @param environment the {@code deployment.environment.name} resource attribute
   * @param otelProperties {@code otel.*} properties that override the process environment
   * @throws ConfigException if an {@code otel.*} value is one this SDK cannot honour
   */
  public static Tracing create(
      String serviceName,
      String serviceVersion,
      String environment,
      Map<String, String> otelProperties) {
    requireNonNull(serviceName, "serviceName");
    requireNonNull(serviceVersion, "serviceVersion");
    requireNonNull(environment, "environment");
    Map<String, String> overrides = new HashMap<>(requireNonNull(otelProperties, "otelProperties"));
    EXPORTER_LOGGERS.forEach(logger -> logger.setLevel(java.util.logging.Level.OFF));
    QueueFullReader queue = new QueueFullReader();
    SpanExportFailures failures = SpanExportFailures.withQueue(queue);
    overrides.put("otel.service.name", serviceName);
    if (lookup(overrides, "otel.traces.exporter") == null) {
      boolean endpoint =
          lookup(overrides, "otel.exporter.otlp.endpoint") != null
              || lookup(overrides, "otel.exporter.otlp.traces.endpoint") != null;
      overrides.put("otel.traces.exporter", endpoint ? "otlp" : "none");
    }
    List<ConfigProblem> problems =
        OpsSettings.validateOpenTelemetry(
            ConfigSource.firstOf(ConfigSource.of(overrides), ConfigSource.standard()));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    AutoConfiguredOpenTelemetrySdk sdk;
    try {
      sdk = build(serviceVersion, environment, overrides, queue, failures);
    } catch (ConfigurationException e) {
      // A value the checks in OpsSettings did not foresee: still one report, never the SDK's trace.
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  "otel.*",
                  "OTEL_*",
                  "rejected by the OpenTelemetry SDK: " + withoutValues(e.getMessage()),
                  "values the OpenTelemetry SDK documents, for the exporters on the class path")));
    }
    OpenTelemetrySdk owned = sdk.getOpenTelemetrySdk();
    return new Tracing(owned, owned, failures);
  }

  private static AutoConfiguredOpenTelemetrySdk build(
      String serviceVersion,
      String environment,
      Map<String, String> overrides,
      QueueFullReader queue,
      SpanExportFailures failures) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(Tracing::defaults)
        .addPropertiesCustomizer(config -> overrides)
        .addResourceCustomizer(
            (resource, config) ->
                resource.merge(
                    Resource.create(
                        Attributes.of(
                            SERVICE_VERSION, serviceVersion,
                            DEPLOYMENT_ENVIRONMENT, environment))))
        .addSpanExporterCustomizer((exporter, config) -> failures.counting(exporter))
        // The batch processor counts its queue-full drops on the SDK's meter provider.
        .addMeterProviderCustomizer((builder, config) -> queue.registerOn(builder))
        .disableShutdownHook()
        .build();
  }

  /** The SDK's message up to the first value it quotes: a header value may be a credential. */
  private static String withoutValues(@Nullable String message) {
    if (message == null) {
      return "(no detail)";
    }
    int cut = message.length();
    for (char mark : new char[] {'=', ':', '\n'}) {
      int at = message.indexOf(mark);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    String shown = message.substring(0, Math.min(cut, 120)).strip();
    return shown.isEmpty() ? "(no detail)" : shown;
  }

  /**
   * Uses an OpenTelemetry instance the application owns (an agent, a framework); never closes it.
   */
  public static Tracing of(OpenTelemetry openTelemetry) {
    return new Tracing(
        requireNonNull(openTelemetry, "openTelemetry"), null, new SpanExportFailures());
  }

  /**
   * The OpenTelemetry installed for the whole process, or {@code null}: the Java agent's (its
   * bridge answers {@link GlobalOpenTelemetry#isSet()} with {@code true} from the start), or one
   * the application registered with {@link GlobalOpenTelemetry#set} before Plimsoll was built.
   * Never triggers OpenTelemetry's global auto-configuration.
   */
  public static @Nullable OpenTelemetry installed() {
    return GlobalOpenTelemetry.isSet() ? GlobalOpenTelemetry.get() : null;
  }

  /** A property as OpenTelemetry would see it: given, system property, then environment. */
  private static @Nullable String lookup(Map<String, String> given, String key) {
    String value = given.get(key);
    if (value == null) {
      value = System.getProperty(key);
    }
    if (value == null) {
      value = System.getenv(ConfigSource.environmentName(key));
    }
    return value == null || value.isBlank() ? null : value;
  }

  private static Map<String, String> defaults() {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    // The bundled sender is the JDK's HttpClient, which speaks OTLP over HTTP only.
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    return defaults;
  }

  /** The OpenTelemetry API, for the application's own spans. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /**
   * Registers {@code ops_tracing_spans_dropped_total} in {@code registry}: the spans the exporter
   * could not deliver, always zero for an application's OpenTelemetry.
   */
  public void bindTo(MeterRegistry registry) {
    exportFailures.bindTo(registry);
  }

  /** The spans the exporter could not deliver; always zero for an application's OpenTelemetry. */
  SpanExportFailures exportFailures() {
    return exportFailures;
  }

  /** Plimsoll's tracer. */
  public Tracer tracer() {
    return tracer;
  }

  /** The propagators that read and write {@code traceparent}, {@code tracestate} and baggage. */
  public TextMapPropagator propagator() {
    return openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** The current span as the Prometheus client sees it, so histogram buckets carry exemplars. */
  public SpanContext exemplarContext() {
    return currentSpanExemplars();
  }

  /**
   * The current OpenTelemetry span (of whichever SDK or agent made it) as the Prometheus client
   * sees it, for a registry created before any {@code Tracing}.
   */
  public static SpanContext currentSpanExemplars() {
    return new ExemplarSpanContext();
  }

  /** Exports buffered spans, waiting at most {@code timeout}; returns whether it finished. */
  public boolean flush(Duration timeout) {
    return ownedSdk == null
        || ownedSdk
            .getSdkTracerProvider()
            .forceFlush()
            .join(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .isSuccess();
  }

  /**
   * Flushes and shuts the SDK down, waiting at most {@code timeout}; returns whether it finished in
   * time. An SDK passed to {@link #of} is left alone.
   */
  public boolean shutdown(Duration timeout) {
    return ownedSdk == null
        || ownedSdk.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
  }

  /** Shuts down with a bound of 10 seconds. */
  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }
}
