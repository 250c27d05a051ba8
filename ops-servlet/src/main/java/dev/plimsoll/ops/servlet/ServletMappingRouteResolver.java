package dev.plimsoll.ops.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import org.jspecify.annotations.Nullable;

/** See {@link RouteResolver#servletMapping()}. */
final class ServletMappingRouteResolver implements RouteResolver {

  static final ServletMappingRouteResolver INSTANCE = new ServletMappingRouteResolver();

  private ServletMappingRouteResolver() {}

  @Override
  public @Nullable String resolve(HttpServletRequest request) {
    if (request.getAttribute(ROUTE_ATTRIBUTE) instanceof String route && !route.isEmpty()) {
      return route;
    }
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping == null || mapping.getMappingMatch() == null) {
      return null;
    }
    MappingMatch match = mapping.getMappingMatch();
    String contextPath = request.getContextPath();
    return switch (match) {
      case CONTEXT_ROOT -> contextPath + "/";
      case EXACT, PATH, EXTENSION -> contextPath + mapping.getPattern();
      case DEFAULT -> null;
    };
  }
}
