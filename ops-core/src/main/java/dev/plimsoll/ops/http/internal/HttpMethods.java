package dev.plimsoll.ops.http.internal;

import java.util.Set;

/** Normalises HTTP methods as the OpenTelemetry semantic conventions ask. */
public final class HttpMethods {

  /** The value recorded for any method outside the known set. */
  public static final String OTHER = "_OTHER";

  private static final Set<String> KNOWN =
      Set.of(
          "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY");

  /** How many values {@link #indexOf} returns: one per known method, and one for {@link #OTHER}. */
  public static final int COUNT = 11;

  private HttpMethods() {}

  /**
   * A distinct index below {@link #COUNT} for each value {@link #normalize} returns, for tables
   * indexed by method.
   */
  public static int indexOf(String normalized) {
    return switch (normalized) {
      case "GET" -> 0;
      case "HEAD" -> 1;
      case "POST" -> 2;
      case "PUT" -> 3;
      case "DELETE" -> 4;
      case "CONNECT" -> 5;
      case "OPTIONS" -> 6;
      case "TRACE" -> 7;
      case "PATCH" -> 8;
      case "QUERY" -> 9;
      default -> 10;
    };
  }

  /**
   * Returns the method when it is one of the known methods (compared case-sensitively, as HTTP
   * does), otherwise {@link #OTHER}, so a client cannot create a label value of its choosing.
   */
  public static String normalize(String method) {
    return KNOWN.contains(method) ? method : OTHER;
  }
}
