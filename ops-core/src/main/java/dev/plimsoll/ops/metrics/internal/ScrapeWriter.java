package dev.plimsoll.ops.metrics.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Scrapes a registry whose Prometheus registry is a {@link ScrapeRegistry}: the HTTP duration
 * histogram is written by {@link HttpDurationFamily}, everything else by the Prometheus client's
 * own writer, in name order as the client orders families, so the bytes are those of {@link
 * PrometheusMeterRegistry#scrape(OutputStream, String)}. The first scrape, and any scrape the
 * family declines, goes wholly through the client. Thread-safe.
 */
public final class ScrapeWriter {

  private final PrometheusMeterRegistry registry;
  private final ScrapeRegistry prometheus;
  private final ExpositionFormats formats;
  private final HttpDurationFamily http;

  private ScrapeWriter(
      PrometheusMeterRegistry registry,
      ScrapeRegistry prometheus,
      ExpositionFormats formats,
      String httpMeterName) {
    this.registry = registry;
    this.prometheus = prometheus;
    this.formats = formats;
    this.http = new HttpDurationFamily(registry, httpMeterName);
  }

  /**
   * A writer for {@code registry}, or {@code null} when its Prometheus registry is not a {@link
   * ScrapeRegistry} or {@code properties} (those the registry was configured with) ask for output
   * this writer does not produce ({@code _created} lines, exemplars on every type).
   *
   * @param httpMeterName the Micrometer name of the HTTP duration timer
   */
  public static @Nullable ScrapeWriter of(
      PrometheusMeterRegistry registry, Properties properties, String httpMeterName) {
    if (!(registry.getPrometheusRegistry() instanceof ScrapeRegistry prometheus)) {
      return null;
    }
    ExporterProperties exporter =
        PrometheusPropertiesLoader.load(properties).getExporterProperties();
    if (exporter.getIncludeCreatedTimestamps() || exporter.getExemplarsOnAllMetricTypes()) {
      return null;
    }
    return new ScrapeWriter(registry, prometheus, ExpositionFormats.init(exporter), httpMeterName);
  }

  /**
   * Writes every series in {@code contentType} (one that {@link ExpositionFormats#findWriter}
   * understands) to {@code out}.
   *
   * @throws IOException if writing fails
   */
  public void scrape(String contentType, OutputStream out) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(contentType);
    boolean openMetrics = writer.getClass() == OpenMetricsTextFormatWriter.class;
    if (!openMetrics && writer.getClass() != PrometheusTextFormatWriter.class) {
      registry.scrape(out, contentType);
      return;
    }
    MultiCollector collector = http.collector(prometheus.multiCollectors());
    if (collector != null && scrapeWithFamily(writer, openMetrics, collector, out)) {
      return;
    }
    writer.write(out, prometheus.scrapeAllBut(null, http::recognise));
  }

  /**
   * Whether the next scrape writes the HTTP histogram itself (a scrape has found its collector).
   */
  boolean writesHttpFamily() {
    return http.collector(prometheus.multiCollectors()) != null;
  }

  private boolean scrapeWithFamily(
      ExpositionFormatWriter writer,
      boolean openMetrics,
      MultiCollector collector,
      OutputStream out)
      throws IOException {
    HttpDurationFamily.Series[] series = http.prepare(openMetrics);
    if (series == null) {
      return false;
    }
    HttpDurationFamily.Learned names = http.learned();
    MetricSnapshots rest = prometheus.scrapeAllBut(collector, (c, s) -> {});
    MetricSnapshots.Builder before = MetricSnapshots.builder();
    MetricSnapshots.Builder between = MetricSnapshots.builder();
    MetricSnapshots.Builder after = MetricSnapshots.builder();
    for (MetricSnapshot snapshot : rest) {
      String name = snapshot.getMetadata().getPrometheusName();
      if (name.equals(names.name) || name.equals(names.maxName)) {
        return false; // another collector shares the family's names: the client merges them
      }
      if (name.compareTo(names.name) < 0) {
        before.metricSnapshot(snapshot);
      } else if (name.compareTo(names.maxName) < 0) {
        between.metricSnapshot(snapshot);
      } else {
        after.metricSnapshot(snapshot);
      }
    }
    ScrapeOutput output = new ScrapeOutput(out);
    writer.write(output.segment(), before.build());
    output.endSegment(openMetrics);
    HttpDurationFamily.Maxima maxima = http.writeHistogram(output, openMetrics, series);
    writer.write(output.segment(), between.build());
    output.endSegment(openMetrics);
    http.writeMax(output, openMetrics, maxima);
    writer.write(output.segment(), after.build());
    output.endSegment(false);
    output.finish();
    return true;
  }
}
