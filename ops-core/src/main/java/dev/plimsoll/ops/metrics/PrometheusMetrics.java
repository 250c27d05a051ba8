package dev.plimsoll.ops.metrics;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.logging.internal.DroppedLogEvents;
import dev.plimsoll.ops.metrics.internal.ScrapeRegistry;
import dev.plimsoll.ops.metrics.internal.ScrapeWriter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The Prometheus registry of a service: common labels on every series, JVM, process and logback
 * binders, build information, and scrapes in the text or OpenMetrics format (the latter with
 * exemplars). Closing it unbinds what it bound.
 */
public final class PrometheusMetrics implements AutoCloseable {

  /** Content type of the Prometheus text format 0.0.4. */
  public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Micrometer's defaults, except that exemplars go only where OpenMetrics allows them (histogram
   * buckets and counters): Micrometer also puts them on every {@code _count}, and Prometheus before
   * 2.43 then rejects the whole scrape.
   */
  private static final PrometheusConfig CONFIG =
      new PrometheusConfig() {
        @Override
        public @Nullable String get(String key) {
          return null;
        }

        @Override
        public Properties prometheusProperties() {
          Properties properties = new Properties();
          properties.setProperty("io.prometheus.exporter.exemplarsOnAllMetricTypes", "false");
          return properties;
        }
      };

  /** Content type of OpenMetrics 1.0, which carries exemplars. */
  public static final String OPENMETRICS_CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final @Nullable ScrapeWriter writer;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private PrometheusMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.writer =
        ScrapeWriter.of(
            registry, CONFIG.prometheusProperties(), MetricNames.HTTP_SERVER_REQUEST_DURATION);
  }

  /**
   * Creates the registry with the JVM, process and logging meters.
   *
   * @param serviceName the {@code service_name} label of every series
   * @param environment the {@code deployment_environment} label of every series
   * @param buildInfo published as {@code ops_build_info}; its version labels every series
   * @param exemplars the current span, for exemplars; {@code null} for none
   */
  public static PrometheusMetrics create(
      String serviceName,
      String environment,
      BuildInfo buildInfo,
      @Nullable SpanContext exemplars) {
    return of(newRegistry(serviceName, environment, buildInfo, exemplars), buildInfo, true);
  }

  /**
   * A registry with Plimsoll's scrape settings and common labels and no meter yet, for a framework
   * that applies its own filters before any meter is registered (as Spring Boot's metrics
   * auto-configuration does to every registry bean), then hands it to {@link #of}.
   *
   * @param serviceName the {@code service_name} label of every series
   * @param environment the {@code deployment_environment} label of every series
   * @param buildInfo its version labels every series
   * @param exemplars the current span, for exemplars; {@code null} for none
   */
  public static PrometheusMeterRegistry newRegistry(
      String serviceName,
      String environment,
      BuildInfo buildInfo,
      @Nullable SpanContext exemplars) {
    requireNonNull(serviceName, "serviceName");
    requireNonNull(environment, "environment");
    requireNonNull(buildInfo, "buildInfo");
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(CONFIG, new ScrapeRegistry(), Clock.SYSTEM, exemplars);
    registry
        .config()
        .commonTags(
            Tags.of(
                MetricNames.SERVICE_NAME, serviceName,
                MetricNames.SERVICE_VERSION, buildInfo.serviceVersion(),
                MetricNames.DEPLOYMENT_ENVIRONMENT, environment));
    return registry;
  }

  /**
   * Plimsoll's metrics in {@code registry}: build information and dropped log events always; the
   * JVM, process and logback meters only with {@code bindRuntimeMeters}, which a framework that
   * binds its own (Spring Boot's metrics auto-configuration) turns off so nothing is counted twice.
   */
  public static PrometheusMetrics of(
      PrometheusMeterRegistry registry, BuildInfo buildInfo, boolean bindRuntimeMeters) {
    PrometheusMetrics metrics = new PrometheusMetrics(requireNonNull(registry, "registry"));
    if (bindRuntimeMeters) {
      metrics.bind(new ClassLoaderMetrics());
      metrics.bind(new JvmMemoryMetrics());
      metrics.bind(new JvmGcMetrics());
      metrics.bind(new JvmThreadMetrics());
      metrics.bind(new JvmInfoMetrics());
      metrics.bind(new ProcessorMetrics());
      metrics.bind(new UptimeMetrics());
      metrics.bind(new FileDescriptorMetrics());
      metrics.bind(new LogbackMetrics());
    }
    metrics.bind(DroppedLogEvents.ofDefaultContext());
    metrics.bind(requireNonNull(buildInfo, "buildInfo"));
    return metrics;
  }

  private void bind(MeterBinder binder) {
    binder.bindTo(registry);
    if (binder instanceof AutoCloseable closeable) {
      closeables.add(closeable);
    }
  }

  /** The Micrometer registry, for the application's own meters. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Picks the format for an {@code Accept} header: OpenMetrics when the scraper asks for it,
   * otherwise the text format.
   */
  public static String contentTypeFor(@Nullable String accept) {
    return accept != null
            && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
        ? OPENMETRICS_CONTENT_TYPE
        : TEXT_CONTENT_TYPE;
  }

  /**
   * Writes every series in the format {@link #contentTypeFor} picks for {@code accept}.
   *
   * @return the content type written
   * @throws IOException if writing fails
   */
  public String scrape(@Nullable String accept, OutputStream out) throws IOException {
    String contentType = contentTypeFor(accept);
    if (writer != null) {
      writer.scrape(contentType, out);
    } else {
      registry.scrape(out, contentType);
    }
    return contentType;
  }

  /** Every series in the format {@link #contentTypeFor} picks for {@code accept}, as a string. */
  public String scrape(@Nullable String accept) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      scrape(accept, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Unbinding is best effort: a binder that fails to close holds no request resources.
      }
    }
    registry.close();
  }
}
