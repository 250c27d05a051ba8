package dev.plimsoll.ops.http;

import java.util.Set;

/** Normalises HTTP methods as the OpenTelemetry semantic conventions ask. */
public final class HttpMethods {

  /** The value recorded for any method outside the known set. */
  public static final String OTHER = "_OTHER";

  private static final Set<String> KNOWN =
      Set.of(
          "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY");

  private HttpMethods() {}

  /**
   * Returns the method when it is one of the known methods (compared case-sensitively, as HTTP
   * does), otherwise {@link #OTHER}, so a client cannot create a label value of its choosing.
   */
  public static String normalize(String method) {
    return KNOWN.contains(method) ? method : OTHER;
  }
}
