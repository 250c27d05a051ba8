package dev.plimsoll.ops.config.internal;

import dev.plimsoll.ops.config.ConfigProblem;
import dev.plimsoll.ops.config.ConfigSource;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider;
import io.opentelemetry.sdk.autoconfigure.spi.logs.ConfigurableLogRecordExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Not API. The {@code otel.*} values Plimsoll's own OpenTelemetry SDK reads, checked before it is
 * built so that a value it cannot honour ({@code OTEL_TRACES_EXPORTER=console} without the logging
 * exporter, a sampler name with a typo) is a line in the configuration report instead of the SDK's
 * exception. Names that extensions add (exporters, samplers, propagators) are found on the class
 * path the way the SDK finds them.
 */
public final class OtelRules {

  private static final Pattern DURATION = Pattern.compile("\\d+\\s*(ms|s|m|h|d)?");
  private static final Pattern HEADER = Pattern.compile("[^=,]+=[^,]*");
  private static final List<String> SAMPLERS =
      List.of(
          "always_on",
          "always_off",
          "traceidratio",
          "parentbased_always_on",
          "parentbased_always_off",
          "parentbased_traceidratio");
  private static final List<String> PROPAGATORS = List.of("tracecontext", "baggage", "none");
  private static final String EXPORTER_HINT =
      " (console and logging need io.opentelemetry:opentelemetry-exporter-logging on the class"
          + " path)";

  private final Function<String, @Nullable String> source;
  private final List<ConfigProblem> problems = new ArrayList<>();

  private OtelRules(Function<String, @Nullable String> source) {
    this.source = source;
  }

  /** Every problem of the {@code otel.*} values in {@code source}; empty when all are fine. */
  public static List<ConfigProblem> check(ConfigSource source) {
    OtelRules rules = new OtelRules(source::get);
    rules.names(
        "otel.traces.exporter",
        names(ConfigurableSpanExporterProvider.class, ConfigurableSpanExporterProvider::getName),
        EXPORTER_HINT);
    rules.names(
        "otel.metrics.exporter",
        names(
            ConfigurableMetricExporterProvider.class, ConfigurableMetricExporterProvider::getName),
        "");
    rules.names(
        "otel.logs.exporter",
        names(
            ConfigurableLogRecordExporterProvider.class,
            ConfigurableLogRecordExporterProvider::getName),
        "");
    rules.names(
        "otel.propagators",
        with(
            PROPAGATORS,
            names(ConfigurablePropagatorProvider.class, ConfigurablePropagatorProvider::getName)),
        "");
    rules.sampler();
    for (String signal : List.of("", "traces.")) {
      rules.protocol("otel.exporter.otlp." + signal + "protocol");
      rules.endpoint("otel.exporter.otlp." + signal + "endpoint");
      rules.duration("otel.exporter.otlp." + signal + "timeout");
      rules.headers("otel.exporter.otlp." + signal + "headers");
    }
    rules.duration("otel.bsp.schedule.delay");
    rules.duration("otel.bsp.export.timeout");
    rules.positive("otel.bsp.max.queue.size");
    rules.positive("otel.bsp.max.export.batch.size");
    rules.bool("otel.sdk.disabled");
    return List.copyOf(rules.problems);
  }

  private @Nullable String value(String key) {
    String value = source.apply(key);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private void names(String key, Set<String> extensions, String hint) {
    String value = value(key);
    if (value == null) {
      return;
    }
    Set<String> supported = new TreeSet<>(extensions);
    supported.add("none");
    List<String> unknown = new ArrayList<>();
    for (String name : value.split(",", -1)) {
      String trimmed = name.strip();
      if (!supported.contains(trimmed)) {
        unknown.add(trimmed.isEmpty() ? "(empty)" : trimmed);
      }
    }
    if (!unknown.isEmpty()) {
      problem(
          key,
          "not supported: " + SettingsReader.shown(String.join(", ", unknown)),
          "a comma-separated list of " + String.join(", ", supported) + hint);
    } else if (value.contains(",")
        && List.of(value.split(",")).stream().anyMatch(n -> n.strip().equals("none"))) {
      problem(key, "none together with other names", "none alone, or a list without none");
    }
  }

  private void sampler() {
    String key = "otel.traces.sampler";
    String sampler = value(key);
    Set<String> supported =
        with(
            SAMPLERS,
            names(ConfigurableSamplerProvider.class, ConfigurableSamplerProvider::getName));
    if (sampler != null && !supported.contains(sampler)) {
      problem(
          key,
          "not supported: " + SettingsReader.shown(sampler),
          "one of " + String.join(", ", supported));
    }
    String arg = value(key + ".arg");
    if (arg != null && (sampler == null || sampler.endsWith("traceidratio"))) {
      double ratio;
      try {
        ratio = Double.parseDouble(arg);
      } catch (NumberFormatException e) {
        ratio = Double.NaN;
      }
      if (!(ratio >= 0 && ratio <= 1)) {
        problem(key + ".arg", "not a ratio: " + SettingsReader.shown(arg), "a number from 0 to 1");
      }
    }
  }

  private void protocol(String key) {
    String protocol = value(key);
    if (protocol == null || protocol.equals("http/protobuf")) {
      return;
    }
    boolean grpc = hasService("io.opentelemetry.sdk.common.export.GrpcSenderProvider");
    if (!protocol.equals("grpc") || !grpc) {
      problem(
          key,
          "not supported: " + SettingsReader.shown(protocol),
          grpc
              ? "http/protobuf or grpc"
              : "http/protobuf (grpc needs io.opentelemetry:opentelemetry-exporter-sender-okhttp"
                  + " on the class path)");
    }
  }

  private void endpoint(String key) {
    String endpoint = value(key);
    if (endpoint == null) {
      return;
    }
    boolean valid;
    try {
      URI uri = new URI(endpoint);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      valid = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      valid = false;
    }
    if (!valid) {
      problem(key, "not a URL: " + SettingsReader.shown(endpoint), "an http:// or https:// URL");
    }
  }

  private void duration(String key) {
    String duration = value(key);
    if (duration != null && !DURATION.matcher(duration).matches()) {
      problem(
          key,
          "not a duration: " + SettingsReader.shown(duration),
          "milliseconds, or a whole number with ms, s, m, h or d");
    }
  }

  private void positive(String key) {
    String number = value(key);
    if (number == null) {
      return;
    }
    boolean valid;
    try {
      valid = Integer.parseInt(number) > 0;
    } catch (NumberFormatException e) {
      valid = false;
    }
    if (!valid) {
      problem(
          key,
          "not a positive whole number: " + SettingsReader.shown(number),
          "a whole number above 0");
    }
  }

  private void bool(String key) {
    String flag = value(key);
    if (flag != null && !flag.equalsIgnoreCase("true") && !flag.equalsIgnoreCase("false")) {
      problem(key, "not a boolean: " + SettingsReader.shown(flag), "true or false");
    }
  }

  private void headers(String key) {
    String headers = value(key);
    if (headers == null) {
      return;
    }
    for (String header : headers.split(",", -1)) {
      if (!HEADER.matcher(header.strip()).matches()) {
        // Header values are credentials more often than not: never shown.
        problem(key, "malformed (value hidden)", "comma-separated name=value pairs");
        return;
      }
    }
  }

  private void problem(String key, String problem, String expected) {
    problems.add(new ConfigProblem(key, ConfigSource.environmentName(key), problem, expected));
  }

  private static <T> Set<String> names(Class<T> type, Function<T, String> name) {
    Set<String> names = new TreeSet<>();
    try {
      for (T provider : ServiceLoader.load(type, OtelRules.class.getClassLoader())) {
        names.add(name.apply(provider));
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      // A broken extension: the SDK will say so when it loads it; nothing to add here.
    }
    return names;
  }

  private static Set<String> with(List<String> builtIn, Set<String> extensions) {
    Set<String> all = new TreeSet<>(builtIn);
    all.addAll(extensions);
    return all;
  }

  private static boolean hasService(String type) {
    try {
      Class<?> service = Class.forName(type, false, OtelRules.class.getClassLoader());
      return ServiceLoader.load(service, OtelRules.class.getClassLoader()).findFirst().isPresent();
    } catch (ClassNotFoundException | ServiceConfigurationError | LinkageError e) {
      return false;
    }
  }
}
