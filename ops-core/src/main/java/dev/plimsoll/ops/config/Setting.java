package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The declaration of one setting: its canonical key, type, default, allowed range, description and
 * whether it is a secret. Everything else about a setting (its environment variable, its line in
 * the validation report, its row in the documentation, its entry in the Spring Boot metadata) is
 * derived from this one declaration. Immutable; {@link #secret()}, {@link #required()}, {@link
 * #withDefault}, {@link #describedAs} and {@link #documentedDefault(String)} return copies.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {

  /** The fewest characters a secret may have when {@code ops.environment} is {@code production}. */
  public static final int MIN_SECRET_LENGTH = 16;

  private static final String STRING = "java.lang.String";
  private static final String DURATION_TYPE = "java.time.Duration";

  private static final Pattern RATIO = Pattern.compile("\\d+(\\.\\d+)?|\\.\\d+");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|m|h|d)?");

  /** Turns a raw string into a value, or throws {@link IllegalArgumentException} saying why not. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String raw);
  }

  /** A check that applies only in production; returns what is wrong, or {@code null}. */
  @FunctionalInterface
  interface ProductionRule<T> {
    @Nullable String check(T value);
  }

  private final String key;
  private final String expected;
  private final String typeName;
  private final Parser<T> parser;
  private final Function<T, String> printer;
  private final @Nullable T defaultValue;
  private final boolean required;
  private final boolean secret;
  private final @Nullable ProductionRule<T> productionRule;
  private final String expectedInProduction;
  private final String description;
  private final @Nullable String documentedDefault;

  private Setting(
      String key,
      String expected,
      String typeName,
      Parser<T> parser,
      Function<T, String> printer,
      @Nullable T defaultValue) {
    this(
        key,
        expected,
        typeName,
        parser,
        printer,
        defaultValue,
        false,
        false,
        null,
        expected,
        "",
        null);
  }

  private Setting(
      String key,
      String expected,
      String typeName,
      Parser<T> parser,
      Function<T, String> printer,
      @Nullable T defaultValue,
      boolean required,
      boolean secret,
      @Nullable ProductionRule<T> productionRule,
      String expectedInProduction,
      String description,
      @Nullable String documentedDefault) {
    this.key = requireNonNull(key, "key");
    this.expected = requireNonNull(expected, "expected");
    this.typeName = requireNonNull(typeName, "typeName");
    this.parser = requireNonNull(parser, "parser");
    this.printer = requireNonNull(printer, "printer");
    this.defaultValue = defaultValue;
    this.required = required;
    this.secret = secret;
    this.productionRule = productionRule;
    this.expectedInProduction = requireNonNull(expectedInProduction, "expectedInProduction");
    this.description = requireNonNull(description, "description");
    this.documentedDefault = documentedDefault;
  }

  /** A free-text setting; surrounding white space is trimmed. */
  public static Setting<String> string(String key, @Nullable String defaultValue) {
    return new Setting<>(
        key, "a non-empty string", STRING, Setting::nonEmpty, text -> text, defaultValue);
  }

  /**
   * A whole number between {@code min} and {@code max}, both included; {@code defaultValue} may be
   * {@code null} for a setting that is off unless set.
   */
  public static Setting<Integer> integer(
      String key, @Nullable Integer defaultValue, int min, int max) {
    return new Setting<>(
        key,
        "a whole number from " + min + " to " + max,
        "java.lang.Integer",
        raw -> {
          int value;
          try {
            value = Integer.parseInt(raw.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
          }
          if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
          }
          return value;
        },
        String::valueOf,
        defaultValue);
  }

  /** An absolute {@code http} or {@code https} URL with a host. */
  public static Setting<java.net.URI> url(String key, java.net.@Nullable URI defaultValue) {
    return new Setting<>(
        key,
        "an absolute http or https URL",
        "java.net.URI",
        raw -> {
          java.net.URI uri;
          try {
            uri = new java.net.URI(raw.trim());
          } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL");
          }
          String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
          if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http or https URL");
          }
          if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host");
          }
          return uri;
        },
        uri -> Redaction.url(uri.toString()),
        defaultValue);
  }

  /**
   * A JDBC URL such as {@code jdbc:postgresql://db:5432/app}; credentials in it are never shown.
   */
  public static Setting<String> jdbcUrl(String key, @Nullable String defaultValue) {
    return new Setting<>(
        key,
        "a JDBC URL such as jdbc:postgresql://host:5432/database",
        STRING,
        raw -> {
          String value = raw.trim();
          int colon = value.indexOf(':', 5);
          if (!value.startsWith("jdbc:") || colon <= 5 || colon == value.length() - 1) {
            throw new IllegalArgumentException("not a JDBC URL");
          }
          return value;
        },
        Redaction::url,
        defaultValue);
  }

  /** A constant of {@code type}, named without regard to case, dashes or underscores. */
  public static <E extends Enum<E>> Setting<E> enumOf(
      String key, Class<E> type, @Nullable E defaultValue) {
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return new Setting<>(
        key,
        "one of " + String.join(", ", names),
        type.getName(),
        raw -> {
          String wanted = raw.trim().replace('-', '_');
          for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
              return constant;
            }
          }
          throw new IllegalArgumentException("not an allowed value");
        },
        constant -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'),
        defaultValue);
  }

  /** One of a fixed set of words, compared without case; the value is returned in lower case. */
  public static Setting<String> oneOf(String key, String defaultValue, String... allowed) {
    List<String> words = new ArrayList<>();
    for (String word : allowed) {
      words.add(word.toLowerCase(Locale.ROOT));
    }
    return new Setting<>(
        key,
        "one of " + String.join(", ", words),
        STRING,
        raw -> {
          String value = raw.trim().toLowerCase(Locale.ROOT);
          if (!words.contains(value)) {
            throw new IllegalArgumentException("not an allowed value");
          }
          return value;
        },
        word -> word,
        defaultValue.toLowerCase(Locale.ROOT));
  }

  /** A string that must match {@code pattern} in full, described by {@code expected}. */
  public static Setting<String> matching(
      String key, @Nullable String defaultValue, String pattern, String expected) {
    Pattern compiled = Pattern.compile(pattern);
    return new Setting<>(
        key,
        expected,
        STRING,
        raw -> {
          String value = raw.trim();
          if (!compiled.matcher(value).matches()) {
            throw new IllegalArgumentException("malformed");
          }
          return value;
        },
        text -> text,
        defaultValue);
  }

  /**
   * A ratio greater than 0 and at most 1, written as a decimal number such as {@code 0.01} (no
   * exponent, no percent sign), such as the share of requests a sampler keeps.
   */
  public static Setting<Double> ratio(String key, double defaultValue) {
    return new Setting<>(
        key,
        "a decimal number greater than 0 and at most 1, such as 0.01",
        "java.lang.Double",
        raw -> {
          String value = raw.trim();
          if (!RATIO.matcher(value).matches()) {
            throw new IllegalArgumentException("not a decimal number");
          }
          double ratio = Double.parseDouble(value);
          if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("out of range");
          }
          return ratio;
        },
        ratio -> java.math.BigDecimal.valueOf(ratio).stripTrailingZeros().toPlainString(),
        defaultValue);
  }

  /** {@code true} or {@code false}, in any case. */
  public static Setting<Boolean> bool(String key, boolean defaultValue) {
    return new Setting<>(
        key,
        "true or false",
        "java.lang.Boolean",
        raw -> {
          String value = raw.trim().toLowerCase(Locale.ROOT);
          if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
          }
          throw new IllegalArgumentException("not a boolean");
        },
        String::valueOf,
        defaultValue);
  }

  /**
   * A duration written as {@link #parseDuration} reads it, such as {@code 500ms}, {@code 5s} or
   * {@code 2m}, between {@code min} and {@code max}.
   */
  public static Setting<Duration> duration(
      String key, @Nullable Duration defaultValue, Duration min, Duration max) {
    return new Setting<>(
        key,
        durationExpected(min, max),
        DURATION_TYPE,
        raw -> durationWithin(raw, min, max),
        Setting::formatDuration,
        defaultValue);
  }

  /**
   * A comma-separated list of durations, each written as {@link #parseDuration} reads it and
   * between {@code min} and {@code max}.
   */
  public static Setting<List<Duration>> durations(
      String key, List<Duration> defaultValue, Duration min, Duration max) {
    return list(
        key,
        defaultValue,
        "durations from " + formatDuration(min) + " to " + formatDuration(max) + " such as 500ms",
        DURATION_TYPE,
        raw -> durationWithin(raw, min, max),
        Setting::formatDuration);
  }

  /** A comma-separated list; each element is parsed by {@code element} and blanks are ignored. */
  public static <E> Setting<List<E>> list(
      String key, List<E> defaultValue, String expectedElement, Function<String, E> element) {
    return list(key, defaultValue, expectedElement, STRING, element, String::valueOf);
  }

  private static <E> Setting<List<E>> list(
      String key,
      List<E> defaultValue,
      String expectedElement,
      String elementType,
      Function<String, E> element,
      Function<E, String> elementPrinter) {
    return new Setting<>(
        key,
        "a comma-separated list of " + expectedElement,
        "java.util.List<" + elementType + ">",
        raw -> {
          List<E> values = new ArrayList<>();
          for (String part : raw.split(",", -1)) {
            if (!part.isBlank()) {
              values.add(element.apply(part.trim()));
            }
          }
          return List.copyOf(values);
        },
        values -> values.stream().map(elementPrinter).collect(Collectors.joining(",")),
        List.copyOf(defaultValue));
  }

  /**
   * A switch for debugging aids (verbose errors, debug endpoints), off by default. It must be
   * {@code false} in production.
   */
  public static Setting<Boolean> debugSwitch(String key) {
    Setting<Boolean> bool = bool(key, false);
    return new Setting<>(
        key,
        bool.expected,
        bool.typeName,
        bool.parser,
        bool.printer,
        false,
        false,
        false,
        on -> on ? "debug must be off in production" : null,
        "false in production",
        "",
        null);
  }

  /**
   * Origins allowed to make cross-origin requests, each {@code scheme://host[:port]} without a
   * path, or {@code *} for any origin. {@code *} is refused in production.
   */
  public static Setting<List<String>> corsOrigins(String key, List<String> defaultValue) {
    Setting<List<String>> list =
        list(
            key,
            defaultValue,
            "origins such as https://app.example.com or http://localhost:8080, or *",
            Setting::origin);
    return new Setting<>(
        key,
        list.expected,
        list.typeName,
        list.parser,
        list.printer,
        list.defaultValue,
        false,
        false,
        origins ->
            origins.contains("*") ? "contains '*' (any origin), not allowed in production" : null,
        "explicit origins, without '*'",
        "",
        null);
  }

  /**
   * Parses a duration: a whole number with a unit ({@code 500ms}, {@code 5s}, {@code 2m}, {@code
   * 1h}, {@code 1d}), or ISO-8601 ({@code PT5S}); {@code 0} needs no unit. Spring Boot's {@code
   * Duration} conversion reads every value accepted here as the same duration, so one string means
   * one thing wherever it is read. A number without a unit is refused: Spring Boot would read it as
   * milliseconds where a person often means seconds.
   *
   * @throws IllegalArgumentException saying what is wrong, such as which unit to add
   */
  public static Duration parseDuration(String raw) {
    String value = raw.trim();
    if (value.startsWith("P") || value.startsWith("p")) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not an ISO-8601 duration");
      }
    }
    Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          value.matches("\\d+[.,]\\d+\\s*[a-zA-Z]*")
              ? "not a whole number: write it in a smaller unit, such as 1500ms for 1.5s"
              : "not a duration");
    }
    long amount;
    try {
      amount = Long.parseLong(matcher.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("too long");
    }
    String unit = matcher.group(2);
    if (unit == null) {
      if (amount == 0) {
        return Duration.ZERO;
      }
      throw new IllegalArgumentException(
          "no unit: write " + amount + "s for seconds or " + amount + "ms for milliseconds");
    }
    try {
      return switch (unit) {
        case "ns" -> Duration.ofNanos(amount);
        case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("too long");
    }
  }

  /**
   * A copy that is a secret: its value is never printed, whatever happens. In production it must
   * not be empty, shorter than {@link #MIN_SECRET_LENGTH} characters or a known placeholder such as
   * {@code changeme}.
   */
  public Setting<T> secret() {
    return copy(defaultValue, required, true, description, documentedDefault);
  }

  /** A copy that must be set: a missing value is a problem, not a default. */
  public Setting<T> required() {
    return copy(null, true, secret, description, documentedDefault);
  }

  /** A copy with another default. */
  public Setting<T> withDefault(@Nullable T value) {
    return copy(value, required, secret, description, documentedDefault);
  }

  /**
   * A copy with a description: one or more sentences saying what the setting does and why one would
   * change it; the documentation and the IDE metadata show it. {@code `code`} spans are allowed.
   */
  public Setting<T> describedAs(String description) {
    return copy(
        defaultValue,
        required,
        secret,
        requireNonNull(description, "description"),
        documentedDefault);
  }

  /**
   * A copy whose documented default is {@code text} rather than the printed default value: for a
   * default that is computed, such as one read from the jar's manifest. {@code `code`} spans are
   * allowed.
   */
  public Setting<T> documentedDefault(String text) {
    return copy(defaultValue, required, secret, description, requireNonNull(text, "text"));
  }

  private Setting<T> copy(
      @Nullable T defaultValue,
      boolean required,
      boolean secret,
      String description,
      @Nullable String documentedDefault) {
    return new Setting<>(
        key,
        expected,
        typeName,
        parser,
        printer,
        defaultValue,
        required,
        secret,
        productionRule,
        expectedInProduction,
        description,
        documentedDefault);
  }

  /** The canonical key, such as {@code ops.metrics.max-routes}. */
  public String key() {
    return key;
  }

  /** The environment variable that sets this key, such as {@code OPS_METRICS_MAX_ROUTES}. */
  public String environmentName() {
    return ConfigSource.environmentName(key);
  }

  /** What a valid value looks like, in words. */
  public String expected() {
    return expected;
  }

  /**
   * The Java type of the value as Spring Boot's configuration metadata names it, such as {@code
   * java.time.Duration} or {@code java.util.List<java.lang.String>}.
   */
  public String typeName() {
    return typeName;
  }

  /** What the setting does, as declared with {@link #describedAs}; empty when undeclared. */
  public String description() {
    return description;
  }

  /**
   * The default as the documentation shows it: the text declared with {@link
   * #documentedDefault(String)}, else the printed default value, else {@code null} (no default).
   */
  public @Nullable String documentedDefault() {
    if (documentedDefault != null) {
      return documentedDefault;
    }
    T value = defaultValue;
    return value == null ? null : format(value);
  }

  /** The value used when the key is not set, or {@code null} when there is none. */
  public @Nullable T defaultValue() {
    return defaultValue;
  }

  /** Whether a value must be given. */
  public boolean isRequired() {
    return required;
  }

  /** Whether the value is a secret that must never be printed. */
  public boolean isSecret() {
    return secret;
  }

  /**
   * Parses {@code raw} the way the configuration is read.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public T parse(String raw) {
    return parser.parse(raw);
  }

  /**
   * Writes {@code value} the way it would be set, such as {@code 5s} or {@code /health,/metrics};
   * {@link #parse} reads it back. Credentials in URLs are masked.
   */
  public String format(T value) {
    return printer.apply(value);
  }

  /** What is wrong with {@code value} in production, or {@code null} when nothing is. */
  public @Nullable String productionProblem(T value) {
    return productionRule == null ? null : productionRule.check(value);
  }

  /** What a valid value looks like in production. */
  public String expectedInProduction() {
    return expectedInProduction;
  }

  private static String durationExpected(Duration min, Duration max) {
    return "a duration such as 500ms, 5s or 2m, from "
        + formatDuration(min)
        + " to "
        + formatDuration(max);
  }

  private static Duration durationWithin(String raw, Duration min, Duration max) {
    Duration value = parseDuration(raw);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("out of range");
    }
    return value;
  }

  /**
   * The shortest exact spelling {@link #parseDuration} reads: {@code 5s}, {@code 500ms}, {@code
   * 0s}.
   */
  private static String formatDuration(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.toString();
    }
    long[] sizes = {
      86_400_000_000_000L,
      3_600_000_000_000L,
      60_000_000_000L,
      1_000_000_000L,
      1_000_000L,
      1_000L,
      1L
    };
    String[] units = {"d", "h", "m", "s", "ms", "us", "ns"};
    for (int i = 0; i < sizes.length; i++) {
      if (nanos % sizes[i] == 0) {
        return nanos / sizes[i] + units[i];
      }
    }
    return nanos + "ns";
  }

  private static String origin(String raw) {
    if (raw.equals("*")) {
      return raw;
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(raw);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("an origin is not scheme://host[:port]");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("an origin is not http or https");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("an origin has no valid host");
    }
    if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("an origin has a path, query or fragment");
    }
    if (uri.getPort() > 65_535) {
      throw new IllegalArgumentException("an origin's port is out of range");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  private static String nonEmpty(String raw) {
    String value = raw.trim();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    return value;
  }

  @Override
  public String toString() {
    return key;
  }
}
