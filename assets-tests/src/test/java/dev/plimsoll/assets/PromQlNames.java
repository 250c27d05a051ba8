package dev.plimsoll.assets;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The metric names a PromQL expression or a rule file refers to. */
final class PromQlNames {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern LABEL_LISTS =
      Pattern.compile(
          "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern RANGES = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w:])(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "inf",
          "nan",
          "e");

  private PromQlNames() {}

  /** The metric names (and recording-rule names) {@code expr} selects. */
  static Set<String> metrics(String expr) {
    String text = STRING.matcher(expr).replaceAll(" ");
    text = MATCHERS.matcher(text).replaceAll(" ");
    text = LABEL_LISTS.matcher(text).replaceAll(" ");
    text = RANGES.matcher(text).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = IDENTIFIER.matcher(text);
    while (matcher.find()) {
      String name = matcher.group(1);
      boolean call = matcher.group(2) != null;
      if (!call && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }

  /** The metric names every {@code expr} of a Prometheus rule file selects. */
  @SuppressWarnings("unchecked")
  static Set<String> metricsInRuleFile(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Reader in = Files.newBufferedReader(file)) {
      Map<String, Object> root = new Yaml().load(in);
      for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          names.addAll(metrics(String.valueOf(rule.get("expr"))));
        }
      }
    }
    return names;
  }

  /** Whether a scraped family (such as a histogram's name) provides {@code metric}. */
  static boolean sameFamily(String family, String metric) {
    if (family.equals(metric)) {
      return true;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_max", "_created")) {
      if (metric.equals(family + suffix)) {
        return true;
      }
    }
    return false;
  }
}
