package dev.plimsoll.ops.internal;

import dev.plimsoll.ops.http.ObservedRequest;
import dev.plimsoll.ops.http.ServerExchange;
import dev.plimsoll.ops.http.internal.RequestFacts;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * What the observer knows of one request between its start and its end, its facts included (one
 * object per request). Not API.
 */
final class Observation implements ObservedRequest, RequestFacts {

  private static final String USER_AGENT = "User-Agent";

  private static final AtomicIntegerFieldUpdater<Observation> STATE =
      AtomicIntegerFieldUpdater.newUpdater(Observation.class, "state");
  private static final int MEASURED = 1; // in the request metrics: not a probe or a scrape
  private static final int ENDED = 2; // recorded: an async callback and the dispatch may both try

  final RequestObserver observer;
  final ServerExchange exchange;
  // Copied: the access log reads them on its own thread, after the server has recycled the request.
  private final String method;
  private final String path;
  private final String clientAddress;
  private final @Nullable String userAgent;
  final String requestId;
  final long startNanos;
  final Context context;
  // MEASURED and ENDED in one field: 8 bytes less per request than a boolean beside an int.
  private volatile int state;

  @SuppressWarnings("this-escape") // the span reads only the facts, all assigned before it starts
  Observation(
      RequestObserver observer,
      ServerExchange exchange,
      String path,
      String clientAddress,
      String requestId,
      long startNanos,
      boolean measured) {
    this.observer = observer;
    this.exchange = exchange;
    this.method = exchange.method();
    this.path = path;
    this.clientAddress = clientAddress;
    this.userAgent = exchange.requestHeader(USER_AGENT);
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.state = measured ? MEASURED : 0;
    this.context = observer.startSpan(exchange, this);
  }

  @Override
  public String method() {
    return method;
  }

  // Scheme, server address and port are read only by the span's start, in the constructor, while
  // the exchange is the server's current request: no copy needed.
  @Override
  public String scheme() {
    return exchange.scheme();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String serverAddress() {
    return exchange.serverName();
  }

  @Override
  public int serverPort() {
    return exchange.serverPort();
  }

  @Override
  public String clientAddress() {
    return clientAddress;
  }

  @Override
  public @Nullable String userAgent() {
    return userAgent;
  }

  /** Whether the request is recorded in the request metrics: not a probe or a scrape. */
  boolean measured() {
    return (state & MEASURED) != 0;
  }

  /** Whether this call is the one that records the request. */
  boolean claimEnd() {
    int current = state;
    return (current & ENDED) == 0 && STATE.compareAndSet(this, current, current | ENDED);
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public Scope enter() {
    return observer.enter(this);
  }

  @Override
  public void exit(Scope scope, @Nullable Throwable failure) {
    observer.exit(scope, failure);
  }

  @Override
  public void end(@Nullable Throwable failure) {
    observer.end(this, failure, false);
  }

  @Override
  public void endAsync(@Nullable Throwable failure) {
    observer.end(this, failure, true);
  }
}
