package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The declaration of one setting: its canonical key, type, default, allowed range and whether it is
 * a secret. Immutable; {@link #secret()}, {@link #required()} and {@link #withDefault} return
 * copies.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {

  /** The fewest characters a secret may have when {@code ops.environment} is {@code production}. */
  public static final int MIN_SECRET_LENGTH = 16;

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
  private final Parser<T> parser;
  private final @Nullable T defaultValue;
  private final boolean required;
  private final boolean secret;
  private final @Nullable ProductionRule<T> productionRule;
  private final String expectedInProduction;

  private Setting(
      String key,
      String expected,
      Parser<T> parser,
      @Nullable T defaultValue,
      boolean required,
      boolean secret) {
    this(key, expected, parser, defaultValue, required, secret, null, expected);
  }

  private Setting(
      String key,
      String expected,
      Parser<T> parser,
      @Nullable T defaultValue,
      boolean required,
      boolean secret,
      @Nullable ProductionRule<T> productionRule,
      String expectedInProduction) {
    this.key = requireNonNull(key, "key");
    this.expected = requireNonNull(expected, "expected");
    this.parser = requireNonNull(parser, "parser");
    this.defaultValue = defaultValue;
    this.required = required;
    this.secret = secret;
    this.productionRule = productionRule;
    this.expectedInProduction = requireNonNull(expectedInProduction, "expectedInProduction");
  }

  /** A free-text setting; surrounding white space is trimmed. */
  public static Setting<String> string(String key, @Nullable String defaultValue) {
    return new Setting<>(
        key, "a non-empty string", raw -> nonEmpty(raw), defaultValue, false, false);
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
        defaultValue,
        false,
        false);
  }

  /** An absolute {@code http} or {@code https} URL with a host. */
  public static Setting<java.net.URI> url(String key, java.net.@Nullable URI defaultValue) {
    return new Setting<>(
        key,
        "an absolute http or https URL",
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
        defaultValue,
        false,
        false);
  }

  /**
   * A JDBC URL such as {@code jdbc:postgresql://db:5432/app}; credentials in it are never shown.
   */
  public static Setting<String> jdbcUrl(String key, @Nullable String defaultValue) {
    return new Setting<>(
        key,
        "a JDBC URL such as jdbc:postgresql://host:5432/database",
        raw -> {
          String value = raw.trim();
          int colon = value.indexOf(':', 5);
          if (!value.startsWith("jdbc:") || colon <= 5 || colon == value.length() - 1) {
            throw new IllegalArgumentException("not a JDBC URL");
          }
          return value;
        },
        defaultValue,
        false,
        false);
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
        raw -> {
          String wanted = raw.trim().replace('-', '_');
          for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
              return constant;
            }
          }
          throw new IllegalArgumentException("not an allowed value");
        },
        defaultValue,
        false,
        false);
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
        raw -> {
          String value = raw.trim().toLowerCase(Locale.ROOT);
          if (!words.contains(value)) {
            throw new IllegalArgumentException("not an allowed value");
          }
          return value;
        },
        defaultValue.toLowerCase(Locale.ROOT),
        false,
        false);
  }

  /** A string that must match {@code pattern} in full, described by {@code expected}. */
  public static Setting<String> matching(
      String key, @Nullable String defaultValue, String pattern, String expected) {
    java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(pattern);
    return new Setting<>(
        key,
        expected,
        raw -> {
          String value = raw.trim();
          if (!compiled.matcher(value).matches()) {
            throw new IllegalArgumentException("malformed");
          }
          return value;
        },
        defaultValue,
        false,
        false);
  }

  /** {@code true} or {@code false}, in any case. */
  public static Setting<Boolean> bool(String key, boolean defaultValue) {
    return new Setting<>(
        key,
        "true or false",
        raw -> {
          String value = raw.trim().toLowerCase(Locale.ROOT);
          if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
          }
          throw new IllegalArgumentException("not a boolean");
        },
        defaultValue,
        false,
        false);
  }

  /**
   * A duration such as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT5S},
   * between {@code min} and {@code max}.
   */
  public static Setting<Duration> duration(
      String key, @Nullable Duration defaultValue, Duration min, Duration max) {
    return new Setting<>(
        key,
        "a duration such as 500ms, 5s or 2m, from " + format(min) + " to " + format(max),
        raw -> {
          Duration value = parseDuration(raw);
          if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range");
          }
          return value;
        },
        defaultValue,
        false,
        false);
  }

  /** A comma-separated list; each element is parsed by {@code element} and blanks are ignored. */
  public static <E> Setting<List<E>> list(
      String key, List<E> defaultValue, String expectedElement, Function<String, E> element) {
    return new Setting<>(
        key,
        "a comma-separated list of " + expectedElement,
        raw -> {
          List<E> values = new ArrayList<>();
          for (String part : raw.split(",", -1)) {
            if (!part.isBlank()) {
              values.add(element.apply(part.trim()));
            }
          }
          return List.copyOf(values);
        },
        List.copyOf(defaultValue),
        false,
        false);
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
        bool.parser,
        false,
        false,
        false,
        on -> on ? "debug must be off in production" : null,
        "false in production");
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
        list.parser,
        list.defaultValue,
        false,
        false,
        origins ->
            origins.contains("*") ? "contains '*' (any origin), not allowed in production" : null,
        "explicit origins, without '*'");
  }

  /** Parses a duration the way {@link #duration} does; exposed for list elements. */
  public static Duration parseDuration(String raw) {
    String value = raw.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.startsWith("pt") || value.startsWith("p")) {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      }
      int split = 0;
      while (split < value.length()
          && (Character.isDigit(value.charAt(split)) || value.charAt(split) == '.')) {
        split++;
      }
      if (split == 0) {
        throw new IllegalArgumentException("not a duration");
      }
      String number = value.substring(0, split);
      String unit = value.substring(split).trim();
      double amount = Double.parseDouble(number);
      double nanos =
          switch (unit) {
            case "ns" -> amount;
            case "us" -> amount * 1e3;
            case "ms" -> amount * 1e6;
            case "s", "" -> amount * 1e9;
            case "m" -> amount * 60e9;
            case "h" -> amount * 3600e9;
            case "d" -> amount * 86400e9;
            default -> throw new IllegalArgumentException("unknown unit");
          };
      if (nanos > Long.MAX_VALUE) {
        throw new IllegalArgumentException("too long");
      }
      return Duration.ofNanos(Math.round(nanos));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException("not a duration");
    }
  }

  /**
   * A copy that is a secret: its value is never printed, whatever happens. In production it must
   * not be empty, shorter than {@link #MIN_SECRET_LENGTH} characters or a known placeholder such as
   * {@code changeme}.
   */
  public Setting<T> secret() {
    return new Setting<>(
        key, expected, parser, defaultValue, required, true, productionRule, expectedInProduction);
  }

  /** A copy that must be set: a missing value is a problem, not a default. */
  public Setting<T> required() {
    return new Setting<>(
        key, expected, parser, null, true, secret, productionRule, expectedInProduction);
  }

  /** A copy with another default. */
  public Setting<T> withDefault(@Nullable T value) {
    return new Setting<>(
        key, expected, parser, value, required, secret, productionRule, expectedInProduction);
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

  T parse(String raw) {
    return parser.parse(raw);
  }

  /** What is wrong with {@code value} in production, or {@code null} when nothing is. */
  @Nullable String productionProblem(T value) {
    return productionRule == null ? null : productionRule.check(value);
  }

  /** What a valid value looks like in production. */
  String expectedInProduction() {
    return expectedInProduction;
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

  private static String format(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key;
  }
}
