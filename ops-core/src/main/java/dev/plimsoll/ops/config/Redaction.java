package dev.plimsoll.ops.config;

import java.util.regex.Pattern;

/** Removes credentials from connection strings before they are shown anywhere. */
public final class Redaction {

  /** What replaces a hidden value. */
  public static final String MASK = "******";

  private static final Pattern USER_INFO = Pattern.compile("(//)([^/@?#;]*)@");
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)((?:password|passwd|pwd|secret|token|apikey|api-key|api_key|sslpassword|access[_-]?key)=)([^&;]*)");

  private Redaction() {}

  /**
   * Masks the user-info part ({@code user:secret@}) and secret parameters ({@code password=},
   * {@code token=}, ...) of a URL or JDBC URL, keeping the rest readable.
   */
  public static String url(String url) {
    String masked = USER_INFO.matcher(url).replaceAll("$1" + MASK + "@");
    return SECRET_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
  }
}
