package dev.plimsoll.ops.config.internal;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Not API. The rules that apply only when {@code ops.environment} is {@code production}. Problems
 * found here never describe a secret's value: not its length, not its first characters, not which
 * placeholder it resembles.
 */
final class ProductionRules {

  static final String SECRET_EXPECTED =
      "a real secret of at least " + Setting.MIN_SECRET_LENGTH + " characters, not a placeholder";

  // Compared after lower-casing; the patterns below catch templates and filler.
  private static final Set<String> PLACEHOLDERS =
      Set.of(
          "changeme",
          "change-me",
          "change_me",
          "changeit",
          "change-it",
          "change_it",
          "changethis",
          "change-this",
          "secret",
          "password",
          "passw0rd",
          "p@ssw0rd",
          "p@ssword",
          "example",
          "placeholder",
          "default",
          "todo",
          "fixme",
          "tbd",
          "test",
          "testing",
          "admin",
          "root",
          "dummy",
          "sample",
          "null",
          "none",
          "undefined",
          "redacted",
          "123456",
          "12345678",
          "123456789",
          "1234567890",
          "qwerty",
          "letmein");

  private static final Pattern PLACEHOLDER_PATTERN =
      Pattern.compile(
          String.join(
              "|",
              // one character repeated: xxxxxxxxxxxxxxxx, 0000000000000000, ****************
              "(.)\\1*",
              // unexpanded templates: <api-key>, ${API_KEY}, {{ api_key }}, %API_KEY%
              "<.*>",
              "\\$\\{.*}",
              "\\{\\{.*}}",
              "%[^%]+%",
              // your-api-key-here, your_secret_here, insert-token-here
              "(?:your|insert|put|enter)[-_. ].*[-_. ]here",
              // changeme-in-production, replace_me_please, change-this-secret
              "(?:change|replace)[-_. ]?(?:me|it|this)(?:[-_. ].*)?",
              // a placeholder word with a counter: password1, secret-2024, admin_123456789012
              "(?:changeme|secret|password|passw0rd|example|placeholder|default|test|admin|dummy"
                  + "|sample|letmein)[-_.]?[0-9]*"));

  private ProductionRules() {}

  /** Whether {@code environment}, as set, means production; case and white space do not count. */
  static boolean isProduction(@Nullable String environment) {
    return environment != null && environment.trim().equalsIgnoreCase(OpsSettings.PRODUCTION);
  }

  /**
   * What is wrong with a secret's value in production, or {@code null} when it may be used. The
   * answer never depends on more of the value than the rule needs and never quotes it.
   */
  static @Nullable String secretProblem(String value) {
    String trimmed = value.trim();
    if (trimmed.isEmpty()) {
      return "empty, not allowed in production";
    }
    if (isPlaceholder(trimmed)) {
      return "a known placeholder, not allowed in production (value hidden: secret)";
    }
    if (trimmed.codePointCount(0, trimmed.length()) < Setting.MIN_SECRET_LENGTH) {
      return "shorter than "
          + Setting.MIN_SECRET_LENGTH
          + " characters, not allowed in production (value hidden: secret)";
    }
    return null;
  }

  static boolean isPlaceholder(String value) {
    String lower = value.trim().toLowerCase(Locale.ROOT);
    return PLACEHOLDERS.contains(lower) || PLACEHOLDER_PATTERN.matcher(lower).matches();
  }
}
