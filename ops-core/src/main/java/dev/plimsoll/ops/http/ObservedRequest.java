package dev.plimsoll.ops.http;

import io.opentelemetry.context.Scope;
import org.jspecify.annotations.Nullable;

/**
 * A request being observed, from {@link HttpServerObserver#begin} until it ends. Adapters use it,
 * they do not implement it. Thread-safe: an asynchronous request may end on another thread.
 */
public interface ObservedRequest {

  /** The request's ID, echoed in the response header and in its log lines. */
  String requestId();

  /**
   * Makes the request's span current on this thread and puts its IDs in the MDC, for each dispatch
   * of the request (the first, and any later one of an asynchronous or error dispatch); pair with
   * {@link #exit}. Never throws.
   */
  Scope enter();

  /**
   * Leaves the thread after a dispatch: closes {@code scope} and removes the IDs from the MDC,
   * except after a {@code failure} propagating to the server, so that the line the server logs
   * about it still carries them (the next request on the thread replaces them).
   */
  void exit(Scope scope, @Nullable Throwable failure);

  /**
   * Records the request, on the thread that served it and before {@link #exit}: the status and
   * route from the exchange, the metrics, the span's end, the access log, and the in-flight count.
   * Only the first call of {@code end} or {@link #endAsync} records; later ones do nothing.
   *
   * @param failure what the application threw, unwrapped from the server's own wrapper exceptions,
   *     or {@code null}
   */
  void end(@Nullable Throwable failure);

  /**
   * Like {@link #end}, from the server's completion callback of an asynchronous request on any
   * thread: the request's IDs are put in the MDC for its access-log line and removed afterwards.
   */
  void endAsync(@Nullable Throwable failure);
}
