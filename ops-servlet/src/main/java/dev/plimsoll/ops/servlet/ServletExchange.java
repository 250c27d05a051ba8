package dev.plimsoll.ops.servlet;

import dev.plimsoll.ops.http.ServerExchange;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import org.jspecify.annotations.Nullable;

/** A servlet request and its response, as the request observer reads them. */
final class ServletExchange implements ServerExchange {

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final RouteResolver routes;

  ServletExchange(HttpServletRequest request, HttpServletResponse response, RouteResolver routes) {
    this.request = request;
    this.response = response;
    this.routes = routes;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String scheme() {
    return request.getScheme();
  }

  @Override
  public String path() {
    return request.getRequestURI();
  }

  @Override
  public String serverName() {
    return request.getServerName();
  }

  @Override
  public int serverPort() {
    return request.getServerPort();
  }

  @Override
  public String remoteAddress() {
    return request.getRemoteAddr();
  }

  @Override
  public @Nullable String requestHeader(String name) {
    return request.getHeader(name);
  }

  @Override
  public Iterable<String> requestHeaderNames() {
    return Collections.list(request.getHeaderNames());
  }

  @Override
  public void setResponseHeader(String name, String value) {
    response.setHeader(name, value);
  }

  @Override
  public int status() {
    return response.getStatus();
  }

  @Override
  public boolean isCommitted() {
    return response.isCommitted();
  }

  @Override
  public @Nullable String route() {
    return routes.resolve(request);
  }

  @Override
  public @Nullable Throwable handledFailure() {
    // Set by the container when an error page answered an exception the application threw.
    return request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable handled
        ? PlimsollFilter.unwrap(handled)
        : null;
  }
}
