package dev.plimsoll.ops.http.internal;

import org.jspecify.annotations.Nullable;

/**
 * What is known of a request when it arrives, read once and shared by its span and its access-log
 * line. An interface so that the observer's per-request object can carry the facts itself instead
 * of allocating a second object per request. Not API.
 */
public interface RequestFacts {

  /** The method as received. */
  String method();

  /** {@code http} or {@code https}. */
  String scheme();

  /** The path, truncated to a bounded length. */
  String path();

  /** The host name the client addressed. */
  String serverAddress();

  /** The port the client addressed. */
  int serverPort();

  /** The client's address behind any trusted proxies. */
  String clientAddress();

  /** The {@code User-Agent} header, or {@code null}. */
  @Nullable String userAgent();

  /** Facts held on their own, for code that has no request object to carry them. */
  static RequestFacts of(
      String method,
      String scheme,
      String path,
      String serverAddress,
      int serverPort,
      String clientAddress,
      @Nullable String userAgent) {
    return new Held(method, scheme, path, serverAddress, serverPort, clientAddress, userAgent);
  }

  /** The facts as a value. */
  record Held(
      String method,
      String scheme,
      String path,
      String serverAddress,
      int serverPort,
      String clientAddress,
      @Nullable String userAgent)
      implements RequestFacts {}
}
