package dev.plimsoll.ops.servlet;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.http.HttpServerObserver;
import dev.plimsoll.ops.http.ObservedRequest;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The request filter: for every request one duration observation with its final status, one SERVER
 * span, one access-log event, and the request, trace and span IDs in the MDC while it is served. It
 * counts in-flight requests for the graceful shutdown and, once draining, asks clients to close
 * their connections. Its initialisation marks the service started. Map it first, to {@code /*}, for
 * the REQUEST, ASYNC and ERROR dispatches. Nothing it does can fail a request: its own failures are
 * counted and logged once.
 *
 * <p>It is the servlet adapter of {@link Plimsoll#httpServer()}, which does the observing; the
 * filter adds what only a servlet container has: request attributes, asynchronous completion, the
 * ASYNC and ERROR redispatches of one request, and {@link ServletException}s wrapping the cause.
 */
public final class PlimsollFilter implements Filter {

  /** Request attribute holding the request ID, for the application. */
  public static final String REQUEST_ID_ATTRIBUTE = "dev.plimsoll.ops.request_id";

  static final String STATE_ATTRIBUTE = PlimsollFilter.class.getName() + ".state";

  private final Plimsoll plimsoll;
  private final HttpServerObserver observer;
  private final RouteResolver routes;

  /** Instruments requests with {@code plimsoll}, naming routes with {@code routes}. */
  public PlimsollFilter(Plimsoll plimsoll, RouteResolver routes) {
    this.plimsoll = requireNonNull(plimsoll, "plimsoll");
    this.observer = plimsoll.httpServer();
    this.routes = requireNonNull(routes, "routes");
  }

  /** Marks the service started: readiness now reports its checks. */
  @Override
  public void init(FilterConfig config) {
    plimsoll.health().markStarted();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    if (request.getAttribute(STATE_ATTRIBUTE) instanceof ObservedRequest observed) {
      redispatch(observed, request, response, chain);
      return;
    }
    ServletExchange exchange = new ServletExchange(request, response, routes);
    ObservedRequest observed = observer.begin(exchange);
    if (observed == null) {
      chain.doFilter(request, response);
      return;
    }
    request.setAttribute(REQUEST_ID_ATTRIBUTE, observed.requestId());
    request.setAttribute(STATE_ATTRIBUTE, observed);
    Scope scope = observed.enter();
    Throwable failure = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      if (failure == null && request.isAsyncStarted()) {
        watchAsync(observed, request);
      } else {
        observed.end(unwrap(failure));
      }
      observed.exit(scope, failure);
    }
  }

  private static void redispatch(
      ObservedRequest observed,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    // ASYNC and ERROR dispatches of a request already being observed: same IDs, no new record.
    Scope scope = observed.enter();
    try {
      chain.doFilter(request, response);
    } finally {
      // A later dispatch leaves the thread clean even when it fails: the container's error
      // handling of it runs as an ERROR dispatch of its own, which puts the IDs back.
      observed.exit(scope, null);
    }
  }

  private void watchAsync(ObservedRequest observed, HttpServletRequest request) {
    try {
      request.getAsyncContext().addListener(new AsyncCompletion(observed));
    } catch (RuntimeException e) {
      observer.instrumentationFailed("async", e);
      observed.end(null);
    }
  }

  /** The cause a servlet threw, without the {@link ServletException}s wrapping it. */
  static @Nullable Throwable unwrap(@Nullable Throwable failure) {
    if (failure == null) {
      return null;
    }
    Throwable current = failure;
    for (int depth = 0; depth < 8; depth++) {
      if (!(current instanceof ServletException) || current.getCause() == null) {
        break;
      }
      current = current.getCause();
    }
    return current;
  }

  /** Ends an asynchronous request when the container completes it. */
  private static final class AsyncCompletion implements AsyncListener {
    private final ObservedRequest observed;
    private volatile @Nullable Throwable failure;

    AsyncCompletion(ObservedRequest observed) {
      this.observed = observed;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      observed.endAsync(unwrap(failure));
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // The container completes the request after a timeout; onComplete records its status.
    }

    @Override
    public void onError(AsyncEvent event) {
      failure = event.getThrowable();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
