package dev.plimsoll.ops.http.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.plimsoll.ops.http.ServerExchange;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A JDK {@link HttpExchange}, as the request observer reads it. */
final class JdkExchange implements ServerExchange {

  private final HttpExchange exchange;
  private final Function<HttpExchange, @Nullable String> routes;

  JdkExchange(HttpExchange exchange, Function<HttpExchange, @Nullable String> routes) {
    this.exchange = exchange;
    this.routes = routes;
  }

  @Override
  public String method() {
    return exchange.getRequestMethod();
  }

  @Override
  public String scheme() {
    return exchange instanceof HttpsExchange ? "https" : "http";
  }

  @Override
  public String path() {
    String path = exchange.getRequestURI().getRawPath();
    return path == null ? "" : path;
  }

  @Override
  public String serverName() {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null || host.isEmpty()) {
      return exchange.getLocalAddress().getHostString();
    }
    int end = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
    return end > 0 ? host.substring(0, end) : host;
  }

  @Override
  public int serverPort() {
    // The port the client addressed, as servlet containers report it: the Host header's, the
    // scheme's default when it names none, the connection's when there is no Host header.
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null || host.isEmpty()) {
      return exchange.getLocalAddress().getPort();
    }
    int colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) {
      try {
        return Integer.parseInt(host.substring(colon + 1));
      } catch (NumberFormatException e) {
        return exchange.getLocalAddress().getPort();
      }
    }
    return scheme().equals("https") ? 443 : 80;
  }

  @Override
  public String remoteAddress() {
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }

  @Override
  public @Nullable String requestHeader(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  @Override
  public Iterable<String> requestHeaderNames() {
    return exchange.getRequestHeaders().keySet();
  }

  @Override
  public void setResponseHeader(String name, String value) {
    exchange.getResponseHeaders().set(name, value);
  }

  @Override
  public int status() {
    return exchange.getResponseCode();
  }

  @Override
  public boolean isCommitted() {
    // -1 until sendResponseHeaders has sent the status line.
    return exchange.getResponseCode() != -1;
  }

  @Override
  public @Nullable String route() {
    return routes.apply(exchange);
  }
}
