package dev.plimsoll.ops.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A parsed Prometheus text or OpenMetrics scrape: samples with their labels and value, exemplars,
 * and the declared type of each family. Strict enough to fail on malformed lines.
 */
public final class Scrape {

  /** One exemplar: its labels (trace_id, span_id) and value. */
  public record Exemplar(Map<String, String> labels, double value) {}

  /** One sample line. */
  public record Sample(
      String name, Map<String, String> labels, double value, @Nullable Exemplar exemplar) {
    /** The value of a label, or {@code null}. */
    public @Nullable String label(String key) {
      return labels.get(key);
    }
  }

  private final List<Sample> samples;
  private final Map<String, String> types;

  private Scrape(List<Sample> samples, Map<String, String> types) {
    this.samples = List.copyOf(samples);
    this.types = Map.copyOf(types);
  }

  /** Parses a scrape. */
  public static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 4 && parts[1].equals("TYPE")) {
          types.put(parts[2], parts[3].trim());
        }
        continue;
      }
      samples.add(parseSample(line));
    }
    return new Scrape(samples, types);
  }

  private static Sample parseSample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = parseLabels(line, i, labels);
    }
    String rest = line.substring(i).trim();
    Exemplar exemplar = null;
    int hash = rest.indexOf(" # ");
    if (hash >= 0) {
      String ex = rest.substring(hash + 3).trim();
      rest = rest.substring(0, hash).trim();
      Map<String, String> exLabels = new LinkedHashMap<>();
      int end = parseLabels(ex, 0, exLabels);
      String[] exValue = ex.substring(end).trim().split(" ");
      exemplar = new Exemplar(exLabels, Double.parseDouble(exValue[0]));
    }
    String[] valueParts = rest.split(" ");
    return new Sample(name, labels, parseValue(valueParts[0]), exemplar);
  }

  private static int parseLabels(String line, int open, Map<String, String> labels) {
    if (line.charAt(open) != '{') {
      throw new IllegalArgumentException("expected '{' in: " + line);
    }
    int i = open + 1;
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).trim();
      if (line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("unquoted label value in: " + line);
      }
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\') {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  /** Every sample. */
  public List<Sample> samples() {
    return samples;
  }

  /**
   * Samples with exactly this name (such as {@code http_server_request_duration_seconds_count}).
   */
  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** Samples of a name whose labels include every given pair. */
  public List<Sample> samples(String name, Map<String, String> labels) {
    return samples(name).stream()
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /** The sum of the values of {@link #samples(String, Map)}. */
  public double sum(String name, Map<String, String> labels) {
    return samples(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** The declared type of a family ({@code counter}, {@code histogram}, ...), or {@code null}. */
  public @Nullable String type(String family) {
    return types.get(family);
  }

  /** Every family declared with {@code # TYPE}. */
  public Set<String> families() {
    return new TreeSet<>(types.keySet());
  }
}
