package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.servlet.RouteResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Routes from Spring MVC: the pattern of the handler that served the request ({@code /tasks/{id}}),
 * or the application's own {@link RouteResolver#ROUTE_ATTRIBUTE}.
 */
final class SpringMvcRouteResolver implements RouteResolver {

  @Override
  public @Nullable String resolve(HttpServletRequest request) {
    if (request.getAttribute(ROUTE_ATTRIBUTE) instanceof String route) {
      return route;
    }
    return request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)
            instanceof String pattern
        ? pattern
        : null;
  }
}
