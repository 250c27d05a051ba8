package dev.plimsoll.ops.servlet;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the route template of a request, such as {@code /orders/{id}}: the label that keeps metrics
 * bounded whatever paths clients send. Called once per request after the application handled it, so
 * frameworks can leave their matched pattern on the request.
 */
@FunctionalInterface
public interface RouteResolver {

  /** A request attribute an application or framework may set to the route template. */
  String ROUTE_ATTRIBUTE = "dev.plimsoll.ops.route";

  /**
   * Returns the route template, or {@code null} when the request matched none (recorded as {@code
   * UNMATCHED}). Must not return raw paths.
   */
  @Nullable String resolve(HttpServletRequest request);

  /**
   * The default: {@link #ROUTE_ATTRIBUTE} when set, otherwise the servlet mapping that served the
   * request ({@code /orders/*}, {@code /hello}, {@code *.jsp}), prefixed with the context path;
   * requests served by the default servlet are unmatched.
   */
  static RouteResolver servletMapping() {
    return ServletMappingRouteResolver.INSTANCE;
  }
}
