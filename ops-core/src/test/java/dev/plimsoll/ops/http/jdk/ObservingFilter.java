package dev.plimsoll.ops.http.jdk;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.plimsoll.ops.http.HttpServerObserver;
import dev.plimsoll.ops.http.ObservedRequest;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Observes the requests of a JDK {@code HttpServer} context: add it to {@code
 * HttpContext.getFilters()}. The JDK server has no asynchronous requests nor error dispatches, so
 * this is the whole adapter: begin, enter, serve, end, exit.
 */
public final class ObservingFilter extends Filter {

  private final HttpServerObserver observer;
  private final Function<HttpExchange, @Nullable String> routes;

  /**
   * Observes with {@code observer}; {@code routes} names the route of an exchange (the context's
   * path, a router's template) or returns {@code null} when none matched.
   */
  public ObservingFilter(
      HttpServerObserver observer, Function<HttpExchange, @Nullable String> routes) {
    this.observer = requireNonNull(observer, "observer");
    this.routes = requireNonNull(routes, "routes");
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    ObservedRequest observed = observer.begin(new JdkExchange(exchange, routes));
    if (observed == null) {
      chain.doFilter(exchange);
      return;
    }
    Scope scope = observed.enter();
    Throwable failure = null;
    try {
      chain.doFilter(exchange);
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      observed.end(failure);
      observed.exit(scope, failure);
    }
  }

  @Override
  public String description() {
    return "Plimsoll request observation";
  }
}
