package dev.plimsoll.ops.servlet;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.logging.RequestIds;
import dev.plimsoll.ops.metrics.MetricNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * The request filter: for every request one duration observation with its final status, one SERVER
 * span, one access-log event, and the request, trace and span IDs in the MDC while it is served. It
 * counts in-flight requests for the graceful shutdown and, once draining, asks clients to close
 * their connections. Its initialisation marks the service started. Map it first, to {@code /*}, for
 * the REQUEST, ASYNC and ERROR dispatches. Nothing it does can fail a request: its own failures are
 * counted and logged once.
 */
public final class PlimsollFilter implements Filter {

  /** Request attribute holding the request ID, for the application. */
  public static final String REQUEST_ID_ATTRIBUTE = "dev.plimsoll.ops.request_id";

  static final String STATE_ATTRIBUTE = PlimsollFilter.class.getName() + ".state";

  private static final int MAX_PATH_LENGTH = 2048;

  private final Plimsoll plimsoll;
  private final RouteResolver routes;
  private final String requestIdHeader;

  /** Instruments requests with {@code plimsoll}, naming routes with {@code routes}. */
  public PlimsollFilter(Plimsoll plimsoll, RouteResolver routes) {
    this.plimsoll = requireNonNull(plimsoll, "plimsoll");
    this.routes = requireNonNull(routes, "routes");
    this.requestIdHeader = plimsoll.settings().requestIdHeader();
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
    if (request.getAttribute(STATE_ATTRIBUTE) instanceof RequestState state) {
      redispatch(state, request, response, chain);
      return;
    }
    RequestState state = begin(request, response);
    if (state == null) {
      chain.doFilter(request, response);
      return;
    }
    Scope scope = makeCurrent(state.context);
    Throwable failure = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      if (failure == null && request.isAsyncStarted()) {
        watchAsync(state, request, response);
      } else {
        finish(state, request, response, failure, false);
      }
      scope.close();
      if (failure == null) {
        plimsoll.correlation().clear();
      }
      // After a failure the IDs stay on this thread, so the line the container logs about it
      // carries them (containers log after every filter has returned); the error dispatch or the
      // next request on this thread replaces them.
    }
  }

  private @Nullable RequestState begin(HttpServletRequest request, HttpServletResponse response) {
    try {
      long start = System.nanoTime();
      String requestId = RequestIds.acceptOrGenerate(request.getHeader(requestIdHeader));
      response.setHeader(requestIdHeader, requestId);
      request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
      String uri = request.getRequestURI();
      String path = uri.length() > MAX_PATH_LENGTH ? uri.substring(0, MAX_PATH_LENGTH) : uri;
      String client =
          plimsoll
              .clientAddresses()
              .resolve(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
      String userAgent = request.getHeader("User-Agent");
      Context context =
          plimsoll
              .httpTracing()
              .start(
                  request,
                  RequestHeaders.INSTANCE,
                  request.getMethod(),
                  request.getScheme(),
                  path,
                  request.getServerName(),
                  request.getServerPort(),
                  client,
                  userAgent);
      SpanContext span = Span.fromContext(context).getSpanContext();
      plimsoll.correlation().put(requestId, span.getTraceId(), span.getSpanId());
      RequestState state =
          new RequestState(context, requestId, start, request.getMethod(), path, client, userAgent);
      if (plimsoll.shutdown().isDraining()) {
        response.setHeader("Connection", "close");
      }
      request.setAttribute(STATE_ATTRIBUTE, state);
      plimsoll.httpMetrics().requestStarted();
      plimsoll.shutdown().inFlight().started();
      return state;
    } catch (RuntimeException | LinkageError e) {
      plimsoll.failures().record("begin", e);
      return null;
    }
  }

  private void redispatch(
      RequestState state,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    // ASYNC and ERROR dispatches of a request already being measured: same IDs, no new record.
    Scope scope = makeCurrent(state.context);
    putIds(state);
    try {
      chain.doFilter(request, response);
    } finally {
      scope.close();
      plimsoll.correlation().clear();
    }
  }

  private void watchAsync(
      RequestState state, HttpServletRequest request, HttpServletResponse response) {
    try {
      request.getAsyncContext().addListener(new AsyncCompletion(state, request, response));
    } catch (RuntimeException e) {
      plimsoll.failures().record("async", e);
      finish(state, request, response, null, false);
    }
  }

  @SuppressWarnings("try") // the scope is held only to make the span current while recording
  private void finish(
      RequestState state,
      HttpServletRequest request,
      HttpServletResponse response,
      @Nullable Throwable failure,
      boolean otherThread) {
    if (!RequestState.FINISHED.compareAndSet(state, 0, 1)) {
      return;
    }
    try (Scope scope = makeCurrent(state.context)) {
      long duration = System.nanoTime() - state.startNanos;
      Throwable cause = unwrap(failure);
      int status = failure != null && !response.isCommitted() ? 500 : response.getStatus();
      String route = route(request);
      String errorType = errorType(status, cause, request);
      plimsoll.httpMetrics().requestFinished(state.method, route, status, errorType, duration);
      plimsoll.httpTracing().end(state.context, state.method, route, status, errorType, cause);
      if (plimsoll.accessLog().isLogged(state.path)) {
        if (otherThread) {
          putIds(state);
        }
        try {
          plimsoll
              .accessLog()
              .log(
                  state.method, route, state.path, status, duration, state.client, state.userAgent);
        } finally {
          if (otherThread) {
            plimsoll.correlation().clear();
          }
        }
      }
    } catch (RuntimeException | LinkageError e) {
      plimsoll.failures().record("finish", e);
    } finally {
      plimsoll.shutdown().inFlight().finished();
    }
  }

  private String route(HttpServletRequest request) {
    try {
      String route = routes.resolve(request);
      return route == null || route.isEmpty() ? MetricNames.ROUTE_UNMATCHED : route;
    } catch (RuntimeException | LinkageError e) {
      plimsoll.failures().record("route", e);
      return MetricNames.ROUTE_UNMATCHED;
    }
  }

  private static String errorType(
      int status, @Nullable Throwable cause, HttpServletRequest request) {
    if (cause != null) {
      return cause.getClass().getName();
    }
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable handled) {
      return unwrapNonNull(handled).getClass().getName();
    }
    return status >= 500 ? Integer.toString(status) : MetricNames.NO_ERROR;
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
    return failure == null ? null : unwrapNonNull(failure);
  }

  private static Throwable unwrapNonNull(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; depth < 8; depth++) {
      if (!(current instanceof ServletException) || current.getCause() == null) {
        break;
      }
      current = current.getCause();
    }
    return current;
  }

  private Scope makeCurrent(Context context) {
    try {
      return context.makeCurrent();
    } catch (RuntimeException | LinkageError e) {
      plimsoll.failures().record("context", e);
      return Scope.noop();
    }
  }

  private void putIds(RequestState state) {
    SpanContext span = Span.fromContext(state.context).getSpanContext();
    plimsoll.correlation().put(state.requestId, span.getTraceId(), span.getSpanId());
  }

  /** What the filter knows of one request between its start and its end. */
  private static final class RequestState {
    static final AtomicIntegerFieldUpdater<RequestState> FINISHED =
        AtomicIntegerFieldUpdater.newUpdater(RequestState.class, "finished");

    final Context context;
    final String requestId;
    final long startNanos;
    final String method;
    final String path;
    final String client;
    final @Nullable String userAgent;
    volatile int finished; // 1 once recorded: the async listener and the filter may both try
    volatile @Nullable Throwable asyncFailure;

    RequestState(
        Context context,
        String requestId,
        long startNanos,
        String method,
        String path,
        String client,
        @Nullable String userAgent) {
      this.context = context;
      this.requestId = requestId;
      this.startNanos = startNanos;
      this.method = method;
      this.path = path;
      this.client = client;
      this.userAgent = userAgent;
    }
  }

  /** Finishes an asynchronous request when the container completes it. */
  private final class AsyncCompletion implements AsyncListener {
    private final RequestState state;
    private final HttpServletRequest request;
    private final HttpServletResponse response;

    AsyncCompletion(RequestState state, HttpServletRequest request, HttpServletResponse response) {
      this.state = state;
      this.request = request;
      this.response = response;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      finish(state, request, response, state.asyncFailure, true);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // The container completes the request after a timeout; onComplete records its status.
    }

    @Override
    public void onError(AsyncEvent event) {
      state.asyncFailure = event.getThrowable();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
