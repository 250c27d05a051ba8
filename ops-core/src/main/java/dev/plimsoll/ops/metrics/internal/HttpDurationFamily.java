package dev.plimsoll.ops.metrics.internal;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.util.TimeUtils;
import io.micrometer.prometheusmetrics.PrometheusTimer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP duration histogram, written straight from its timers: the same lines, in the same order
 * and byte for byte, as the Prometheus client's writers produce from the snapshots Micrometer
 * builds for it, without building them. Micrometer's snapshot costs some 8 KB of objects per series
 * (two label sets, boxed bucket lists, a snapshot per family and per point, sorting and
 * validation); here the label text of a series is encoded once, the series are sorted once per
 * change, and a scrape reads the counters. Anything this class does not know how to write exactly
 * (a timer without buckets, a name that needs quoting, an exemplar it cannot read) makes it
 * decline, and the scrape goes through the client as before.
 */
final class HttpDurationFamily {

  private static final Comparator<Series> BY_LABELS = Comparator.comparing(s -> s.labels);
  private static final byte[] LE = ",le=\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LE_ALONE = "{le=\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LE_END = "\"} ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LABELS_END = "} ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EXEMPLAR = " # {".getBytes(StandardCharsets.US_ASCII);

  /** {@code PrometheusTimer.exemplars()}, which Micrometer keeps package-private. */
  private static final @Nullable MethodHandle EXEMPLARS = exemplarsHandle();

  private final MeterRegistry registry;
  private final String meterName;
  private final Map<Meter.Id, PrometheusTimer> timers = new ConcurrentHashMap<>();
  private final AtomicInteger changes = new AtomicInteger();
  private volatile boolean unsupportedMeter;
  private volatile @Nullable Learned learned;

  // Guarded by this: the series as last sorted. Meters are keyed by identity: a meter removed and
  // registered again is a new object with an equal ID.
  private final Map<PrometheusTimer, Series> known = new IdentityHashMap<>();
  private Series[] sorted = new Series[0];
  private int sortedAt = -1;
  private @Nullable Buckets lastBuckets;

  HttpDurationFamily(MeterRegistry registry, String meterName) {
    this.registry = registry;
    this.meterName = meterName;
    registry.config().onMeterAdded(this::added);
    registry.config().onMeterRemoved(this::removed);
    for (Meter meter : registry.getMeters()) {
      added(meter);
    }
  }

  private void added(Meter meter) {
    if (meter.getId().getName().equals(meterName)) {
      if (meter instanceof PrometheusTimer timer) {
        timers.put(timer.getId(), timer);
      } else {
        unsupportedMeter = true;
      }
      changes.incrementAndGet();
    }
  }

  private void removed(Meter meter) {
    if (meter instanceof PrometheusTimer timer && timers.remove(timer.getId(), timer)) {
      changes.incrementAndGet();
    }
  }

  /** Whether OpenMetrics scrapes can be written here: the timers' exemplars are readable. */
  static boolean readsExemplars() {
    return EXEMPLARS != null;
  }

  /** The collector Micrometer created for this family, once a scrape has shown which it is. */
  @Nullable MultiCollector collector(Set<MultiCollector> registered) {
    Learned current = learned;
    if (current == null || unsupportedMeter || !registered.contains(current.collector)) {
      return null;
    }
    return current.collector;
  }

  Learned learned() {
    Learned current = learned;
    if (current == null) {
      throw new IllegalStateException("not learned");
    }
    return current;
  }

  /** Remembers {@code collector} if its snapshots are exactly this family's two. */
  void recognise(MultiCollector collector, MetricSnapshots snapshots) {
    if (learned != null && learned.collector == collector || snapshots.size() != 2) {
      return;
    }
    MetricSnapshot first = snapshots.get(0);
    MetricSnapshot second = snapshots.get(1);
    MetricSnapshot histogram = first instanceof HistogramSnapshot ? first : second;
    MetricSnapshot max = histogram == first ? second : first;
    if (!(histogram instanceof HistogramSnapshot h)
        || h.isGaugeHistogram()
        || !(max instanceof GaugeSnapshot)
        || h.getDataPoints().size() != timers.size()) {
      return;
    }
    String name = h.getMetadata().getPrometheusName();
    String expected = null;
    for (PrometheusTimer timer : timers.values()) {
      expected = timer.getId().getConventionName(registry.config().namingConvention());
      break;
    }
    if (!name.equals(expected)
        || !max.getMetadata().getPrometheusName().equals(name + "_max")
        || !PrometheusNaming.isValidLegacyMetricName(name + "_bucket")
        || !PrometheusNaming.isValidLegacyMetricName(name + "_max")
        || max.getMetadata().getOriginalName().endsWith(".created")
        || max.getMetadata().getOriginalName().endsWith(".total")
        || h.getMetadata().getUnit() != null
        || max.getMetadata().getUnit() != null) {
      return;
    }
    learned = new Learned(collector, h.getMetadata(), max.getMetadata());
  }

  /**
   * The series to write, sorted as the client sorts data points, or {@code null} when this family
   * cannot be written exactly (then nothing was written).
   */
  Series @Nullable [] prepare(boolean openMetrics) {
    if (openMetrics && EXEMPLARS == null) {
      return null;
    }
    return series();
  }

  /**
   * Writes the histogram family of {@code series} and reads their {@code _max} values, as
   * Micrometer reads them for one scrape.
   */
  Maxima writeHistogram(ScrapeOutput out, boolean openMetrics, Series[] series) throws IOException {
    Learned names = learned();
    double[] maxima = new double[series.length];
    if (series.length == 0) {
      return new Maxima(series, maxima);
    }
    out.write(openMetrics ? names.openMetricsHistogramHeader : names.textHistogramHeader);
    for (int s = 0; s < series.length; s++) {
      Series one = series[s];
      PrometheusTimer timer = one.timer;
      // The reads and their order are those of Micrometer's collector: takeSnapshot() (count,
      // total, max), the cumulative bucket counts, then the exemplars.
      long observed = timer.count();
      double totalNanos = timer.totalTime(NANOSECONDS);
      double maxNanos = timer.max(NANOSECONDS);
      CountAtBucket[] counts = timer.histogramCounts();
      Exemplars exemplars = openMetrics ? scaled(exemplars(timer)) : Exemplars.EMPTY;
      if (counts.length != one.finiteBuckets) {
        throw new IllegalStateException("The buckets of a timer changed: " + timer.getId());
      }
      maxima[s] = TimeUtils.nanosToUnit(maxNanos, SECONDS);
      double sum = TimeUtils.nanosToUnit(totalNanos, SECONDS);
      long cumulative = 0;
      for (int i = 0; i < one.bounds.length; i++) {
        double inBucket;
        if (i == 0) {
          inBucket = counts[0].count();
        } else if (i < counts.length) {
          inBucket = counts[i].count() - counts[i - 1].count();
        } else {
          double infCount = observed - counts[counts.length - 1].count();
          inBucket = infCount >= 0 ? infCount : 0;
        }
        cumulative += (long) inBucket;
        out.write(names.bucketName);
        if (one.labelText.length == 0) {
          out.write(LE_ALONE);
        } else {
          out.write('{');
          out.write(one.labelText);
          out.write(LE);
        }
        out.write(one.le[i]);
        out.write(LE_END);
        out.writeLong(cumulative);
        if (exemplars.size() > 0) {
          Exemplar exemplar =
              exemplars.get(i == 0 ? Double.NEGATIVE_INFINITY : one.bounds[i - 1], one.bounds[i]);
          if (exemplar != null) {
            writeExemplar(out, exemplar);
          }
        }
        out.write('\n');
      }
      boolean hasSum = !Double.isNaN(sum);
      if (!openMetrics || hasSum) {
        writeNameAndLabels(out, names.countName, one);
        out.writeLong(cumulative);
        out.write('\n');
      }
      if (hasSum) {
        writeNameAndLabels(out, names.sumName, one);
        out.writeDouble(sum);
        out.write('\n');
      }
    }
    return new Maxima(series, maxima);
  }

  /** Writes the {@code _max} family with the values {@link #writeHistogram} read. */
  void writeMax(ScrapeOutput out, boolean openMetrics, Maxima maxima) throws IOException {
    if (maxima.values.length == 0) {
      return;
    }
    Learned names = learned();
    out.write(openMetrics ? names.openMetricsMaxHeader : names.textMaxHeader);
    for (int s = 0; s < maxima.values.length; s++) {
      writeNameAndLabels(out, names.maxNameBytes, maxima.series[s]);
      out.writeDouble(maxima.values[s]);
      out.write('\n');
    }
  }

  /** The series of one scrape and the {@code _max} value read for each. */
  record Maxima(Series[] series, double[] values) {}

  private static void writeNameAndLabels(ScrapeOutput out, byte[] name, Series series)
      throws IOException {
    out.write(name);
    if (series.labelText.length == 0) {
      out.write(' ');
    } else {
      out.write('{');
      out.write(series.labelText);
      out.write(LABELS_END);
    }
  }

  private static void writeExemplar(ScrapeOutput out, Exemplar exemplar) throws IOException {
    out.write(EXEMPLAR);
    out.write(labelText(exemplar.getLabels()));
    out.write(LABELS_END);
    out.writeDouble(exemplar.getValue());
    if (exemplar.hasTimestamp()) {
      out.write(' ');
      out.writeOpenMetricsTimestamp(exemplar.getTimestampMillis());
    }
  }

  /** The series sorted by labels as the client sorts data points; {@code null} if unsupported. */
  private synchronized Series @Nullable [] series() {
    int now = changes.get();
    if (now != sortedAt) {
      List<Series> all = new ArrayList<>(timers.size());
      Map<PrometheusTimer, Series> still = new IdentityHashMap<>();
      for (PrometheusTimer timer : timers.values()) {
        Series one = known.get(timer);
        if (one == null) {
          one = Series.of(timer, registry, lastBuckets);
          if (one == null) {
            return null;
          }
          lastBuckets = one.buckets;
        }
        still.put(timer, one);
        all.add(one);
      }
      Series[] array = all.toArray(new Series[0]);
      Arrays.sort(array, BY_LABELS);
      known.clear();
      known.putAll(still);
      sorted = array;
      sortedAt = now;
    }
    return unsupportedMeter ? null : sorted;
  }

  private static Exemplars exemplars(PrometheusTimer timer) {
    try {
      return (Exemplars) requireHandle().invoke(timer);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static MethodHandle requireHandle() {
    MethodHandle handle = EXEMPLARS;
    if (handle == null) {
      throw new IllegalStateException("no exemplar handle");
    }
    return handle;
  }

  /**
   * The exemplars in seconds, as Micrometer's {@code createExemplarsWithScaledValues} makes them.
   */
  private static Exemplars scaled(Exemplars exemplars) {
    if (exemplars.size() == 0) {
      return Exemplars.EMPTY;
    }
    List<Exemplar> scaled = new ArrayList<>(exemplars.size());
    for (Exemplar exemplar : exemplars) {
      scaled.add(
          Exemplar.builder()
              .value(TimeUtils.convert(exemplar.getValue(), NANOSECONDS, SECONDS))
              .labels(exemplar.getLabels())
              .timestampMillis(exemplar.getTimestampMillis())
              .build());
    }
    return Exemplars.of(scaled);
  }

  private static @Nullable MethodHandle exemplarsHandle() {
    try {
      return MethodHandles.privateLookupIn(PrometheusTimer.class, MethodHandles.lookup())
          .findVirtual(PrometheusTimer.class, "exemplars", MethodType.methodType(Exemplars.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** {@code a="1",b="2"} as {@code TextFormatUtil.writeLabels} writes the labels, UTF-8. */
  static byte[] labelText(Labels labels) {
    StringBuilder text = new StringBuilder(labels.size() * 32);
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      String name = labels.getPrometheusName(i);
      if (PrometheusNaming.isValidLegacyLabelName(name)) {
        text.append(name);
      } else {
        text.append('"');
        escape(text, name);
        text.append('"');
      }
      text.append("=\"");
      escape(text, labels.getValue(i));
      text.append('"');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** As {@code TextFormatUtil.writeEscapedString}: backslash, double quote and newline. */
  static void escape(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '"' -> text.append("\\\"");
        case '\n' -> text.append("\\n");
        default -> text.append(c);
      }
    }
  }

  /** As the text format's {@code writeEscapedHelp}: backslash and newline only. */
  static void escapeHelp(StringBuilder text, String help) {
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        default -> text.append(c);
      }
    }
  }

  /** One timer's label text and bucket bounds, computed once. */
  static final class Series {
    final PrometheusTimer timer;
    final Labels labels;
    final byte[] labelText;
    final Buckets buckets;
    final int finiteBuckets;
    final double[] bounds;
    final byte[][] le;

    private Series(PrometheusTimer timer, Labels labels, Buckets buckets) {
      this.timer = timer;
      this.labels = labels;
      this.labelText = labelText(labels);
      this.buckets = buckets;
      this.finiteBuckets = buckets.nanos.length;
      this.bounds = buckets.bounds;
      this.le = buckets.le;
    }

    /**
     * The series of {@code timer}, or {@code null} if it has no buckets or invalid labels; its
     * buckets are {@code shared} when they are the same.
     */
    static @Nullable Series of(
        PrometheusTimer timer, MeterRegistry registry, @Nullable Buckets shared) {
      CountAtBucket[] counts = timer.histogramCounts();
      if (counts.length == 0) {
        return null;
      }
      for (int i = 1; i < counts.length; i++) {
        if (!(counts[i].bucket() > counts[i - 1].bucket())) {
          return null; // the client would sort them; Micrometer's are ascending and distinct
        }
      }
      Buckets buckets = shared != null && shared.sameAs(counts) ? shared : new Buckets(counts);
      Meter.Id id = timer.getId();
      List<String> keys = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (Tag tag : id.getConventionTags(registry.config().namingConvention())) {
        keys.add(tag.getKey());
      }
      for (Tag tag : id.getTagsAsIterable()) {
        values.add(tag.getValue());
      }
      try {
        return new Series(timer, Labels.of(keys, values), buckets);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  /** Bucket bounds in seconds (with {@code +Inf}) and their {@code le} text, shared by series. */
  static final class Buckets {
    final double[] nanos;
    final double[] bounds;
    final byte[][] le;

    Buckets(CountAtBucket[] counts) {
      this.nanos = new double[counts.length];
      for (int i = 0; i < counts.length; i++) {
        nanos[i] = counts[i].bucket();
      }
      boolean addInf = Double.isFinite(counts[counts.length - 1].bucket());
      this.bounds = new double[counts.length + (addInf ? 1 : 0)];
      for (int i = 0; i < counts.length; i++) {
        bounds[i] = counts[i].bucket(SECONDS);
      }
      if (addInf) {
        bounds[counts.length] = Double.POSITIVE_INFINITY;
      }
      this.le = new byte[bounds.length][];
      for (int i = 0; i < bounds.length; i++) {
        String text =
            bounds[i] == Double.POSITIVE_INFINITY
                ? "+Inf"
                : bounds[i] == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(bounds[i]);
        le[i] = text.getBytes(StandardCharsets.US_ASCII);
      }
    }

    boolean sameAs(CountAtBucket[] counts) {
      if (counts.length != nanos.length) {
        return false;
      }
      for (int i = 0; i < counts.length; i++) {
        if (Double.compare(counts[i].bucket(), nanos[i]) != 0) {
          return false;
        }
      }
      return true;
    }
  }

  /** What the first scrape showed of the family: its collector and the headers of its two parts. */
  static final class Learned {
    final MultiCollector collector;
    final String name;
    final String maxName;
    final byte[] bucketName;
    final byte[] countName;
    final byte[] sumName;
    final byte[] maxNameBytes;
    final byte[] textHistogramHeader;
    final byte[] textMaxHeader;
    final byte[] openMetricsHistogramHeader;
    final byte[] openMetricsMaxHeader;

    Learned(MultiCollector collector, MetricMetadata histogram, MetricMetadata max) {
      this.collector = collector;
      this.name = histogram.getPrometheusName();
      this.maxName = max.getPrometheusName();
      this.bucketName = ascii(name + "_bucket");
      this.countName = ascii(name + "_count");
      this.sumName = ascii(name + "_sum");
      this.maxNameBytes = ascii(maxName);
      this.textHistogramHeader = textHeader(name, "histogram", histogram.getHelp());
      this.textMaxHeader = textHeader(maxName, "gauge", max.getHelp());
      this.openMetricsHistogramHeader = openMetricsHeader(name, "histogram", histogram.getHelp());
      this.openMetricsMaxHeader = openMetricsHeader(maxName, "gauge", max.getHelp());
    }

    private static byte[] ascii(String name) {
      return name.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] textHeader(String name, String type, @Nullable String help) {
      StringBuilder text = new StringBuilder();
      if (help != null && !help.isEmpty()) {
        text.append("# HELP ").append(name).append(' ');
        escapeHelp(text, help);
        text.append('\n');
      }
      text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] openMetricsHeader(String name, String type, @Nullable String help) {
      StringBuilder text = new StringBuilder();
      text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      if (help != null && !help.isEmpty()) {
        text.append("# HELP ").append(name).append(' ');
        escape(text, help);
        text.append('\n');
      }
      return text.toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
