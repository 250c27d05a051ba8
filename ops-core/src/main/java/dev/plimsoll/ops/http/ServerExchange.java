package dev.plimsoll.ops.http;

import org.jspecify.annotations.Nullable;

/**
 * One request and its response as a server adapter sees them: what {@link HttpServerObserver} reads
 * to observe the request. The adapter implements it over its server's own request type (a servlet
 * request, a JDK {@code HttpExchange}); the observer calls the request methods when the request
 * begins and the response methods when it ends, and catches whatever they throw.
 */
public interface ServerExchange {

  /** The request method as received, such as {@code GET}. */
  String method();

  /** {@code http} or {@code https}. */
  String scheme();

  /** The request path as received, without the query string, not decoded. */
  String path();

  /** The host name the client addressed (its {@code Host} header), or the server's address. */
  String serverName();

  /** The port the client addressed. */
  int serverPort();

  /** The address of the TCP peer: the client, or the last proxy. */
  String remoteAddress();

  /** The first value of a request header, or {@code null} when the request has none. */
  @Nullable String requestHeader(String name);

  /** The names of the request's headers, for trace-context propagators that enumerate them. */
  Iterable<String> requestHeaderNames();

  /** Sets a response header; called before the application handles the request. */
  void setResponseHeader(String name, String value);

  /** The response status the application set. */
  int status();

  /**
   * Whether the status line has been sent: after a failure, an uncommitted response is recorded as
   * the 500 the server will send.
   */
  boolean isCommitted();

  /**
   * The route template that served the request, such as {@code /orders/{id}}, or {@code null} when
   * it matched none (recorded as {@code UNMATCHED}); called once, when the request ends. Never a
   * raw path: it is a metric label.
   */
  @Nullable String route();

  /**
   * An exception the server's own error handling caught and answered (a servlet error page), so
   * that its type is recorded although the request did not fail; {@code null} by default.
   */
  default @Nullable Throwable handledFailure() {
    return null;
  }
}
