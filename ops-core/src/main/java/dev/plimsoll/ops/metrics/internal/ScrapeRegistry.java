package dev.plimsoll.ops.metrics.internal;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A Prometheus registry that remembers what is registered in it, so that a scrape can leave one
 * collector out (the HTTP duration histogram, which {@link HttpDurationFamily} writes itself) and
 * collect the others exactly as {@link PrometheusRegistry#scrape()} does. Its own {@code scrape}
 * methods are unchanged: Spring Boot Actuator's endpoint reads them. Thread-safe.
 */
public final class ScrapeRegistry extends PrometheusRegistry {

  private final Set<Collector> collectors = ConcurrentHashMap.newKeySet();
  private final Set<MultiCollector> multiCollectors = ConcurrentHashMap.newKeySet();

  @Override
  public void register(Collector collector) {
    super.register(collector);
    collectors.add(collector);
  }

  @Override
  public void register(MultiCollector collector) {
    super.register(collector);
    multiCollectors.add(collector);
  }

  @Override
  public void unregister(Collector collector) {
    collectors.remove(collector);
    super.unregister(collector);
  }

  @Override
  public void unregister(MultiCollector collector) {
    multiCollectors.remove(collector);
    super.unregister(collector);
  }

  @Override
  public void clear() {
    collectors.clear();
    multiCollectors.clear();
    super.clear();
  }

  /** The registered multi-collectors (Micrometer registers one per metric family). */
  Set<MultiCollector> multiCollectors() {
    return multiCollectors;
  }

  /**
   * Collects every collector but {@code left}, as {@link PrometheusRegistry#scrape()} collects them
   * all, and shows each multi-collector's snapshots to {@code collected}; the snapshots come sorted
   * by name.
   */
  MetricSnapshots scrapeAllBut(
      @Nullable MultiCollector left, BiConsumer<MultiCollector, MetricSnapshots> collected) {
    MetricSnapshots.Builder result = MetricSnapshots.builder();
    for (Collector collector : collectors) {
      MetricSnapshot snapshot = collector.collect();
      if (snapshot != null) {
        result.metricSnapshot(snapshot);
      }
    }
    for (MultiCollector collector : multiCollectors) {
      if (collector != left) {
        MetricSnapshots snapshots = collector.collect();
        collected.accept(collector, snapshots);
        for (MetricSnapshot snapshot : snapshots) {
          result.metricSnapshot(snapshot);
        }
      }
    }
    return result.build();
  }
}
