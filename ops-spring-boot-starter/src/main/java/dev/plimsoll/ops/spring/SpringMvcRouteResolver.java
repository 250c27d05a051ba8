package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.servlet.RouteResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Routes from Spring MVC: the pattern of the handler that served the request ({@code /tasks/{id}}),
 * or the application's own {@link RouteResolver#ROUTE_ATTRIBUTE}; requests served by other servlets
 * ({@code /metrics}, {@code /health/*}) by their servlet mapping.
 */
final class SpringMvcRouteResolver implements RouteResolver {

  private static final RouteResolver SERVLET_MAPPING = RouteResolver.servletMapping();

  private final String dispatcherServletName;

  SpringMvcRouteResolver(String dispatcherServletName) {
    this.dispatcherServletName = dispatcherServletName;
  }

  @Override
  public @Nullable String resolve(HttpServletRequest request) {
    if (request.getAttribute(ROUTE_ATTRIBUTE) instanceof String route) {
      return route;
    }
    if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)
        instanceof String pattern) {
      // Spring's static-resource handler answers every path under its catch-all pattern, found
      // or not: like a container's default servlet, it names no route.
      return pattern.endsWith("/**")
              && request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)
                  instanceof ResourceHttpRequestHandler
          ? null
          : pattern;
    }
    // The dispatcher's own mapping ("/") says nothing about the route: leave it unmatched.
    return dispatcherServletName.equals(request.getHttpServletMapping().getServletName())
        ? null
        : SERVLET_MAPPING.resolve(request);
  }
}
