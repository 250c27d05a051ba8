package dev.plimsoll.ops.http;

import org.jspecify.annotations.Nullable;

/**
 * The one place where a server adapter reports its requests to Plimsoll: for each request one
 * duration observation with its final status, one SERVER span, one access-log event, the request,
 * trace and span IDs in the MDC while it is served, the in-flight count the graceful shutdown waits
 * for and, while draining, {@code Connection: close}. Nothing it does can fail a request: its own
 * failures are counted and logged once. Obtained from {@code Plimsoll.httpServer()}; adapters use
 * it, they do not implement it.
 *
 * <pre>{@code
 * ObservedRequest observed = observer.begin(exchange);
 * if (observed == null) { serve(); return; }   // instrumentation failed: serve unobserved
 * Scope scope = observed.enter();
 * Throwable failure = null;
 * try {
 *   serve();
 * } catch (Throwable e) {
 *   failure = e;
 *   throw e;
 * } finally {
 *   observed.end(failure);
 *   observed.exit(scope, failure);
 * }
 * }</pre>
 */
public interface HttpServerObserver {

  /**
   * Begins observing a request: takes or makes its request ID (and echoes it in the response header
   * named by {@code ops.request-id.header}), starts its SERVER span and counts it in flight. Call
   * {@link ObservedRequest#end} or {@link ObservedRequest#endAsync} exactly once afterwards.
   *
   * @return the observed request, or {@code null} when the instrumentation failed (counted): serve
   *     the request unobserved
   */
  @Nullable ObservedRequest begin(ServerExchange exchange);

  /**
   * Counts a failure of an adapter's own instrumentation step (such as registering an asynchronous
   * completion listener) under {@code stage}, and logs the first of each stage; never throws.
   */
  void instrumentationFailed(String stage, Throwable failure);
}
