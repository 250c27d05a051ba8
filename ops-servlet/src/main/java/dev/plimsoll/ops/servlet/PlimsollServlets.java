package dev.plimsoll.ops.servlet;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.Plimsoll;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;

/**
 * Installs Plimsoll in a servlet context: the filter first, then the metrics servlet and the health
 * servlet.
 */
public final class PlimsollServlets {

  /** The filter's registration name. */
  public static final String FILTER_NAME = "plimsoll";

  /** The metrics servlet's registration name. */
  public static final String METRICS_SERVLET_NAME = "plimsoll-metrics";

  /** The health servlet's registration name. */
  public static final String HEALTH_SERVLET_NAME = "plimsoll-health";

  private PlimsollServlets() {}

  /**
   * Installs with routes from the servlet mappings. Call it while the context initialises (in a
   * {@code ServletContainerInitializer} or {@code ServletContextListener}).
   */
  public static void install(ServletContext context, Plimsoll plimsoll) {
    install(context, plimsoll, RouteResolver.servletMapping());
  }

  /**
   * Installs with the given route resolver.
   *
   * @throws IllegalStateException if the context has already been initialised
   */
  public static void install(ServletContext context, Plimsoll plimsoll, RouteResolver routes) {
    requireNonNull(context, "context");
    requireNonNull(plimsoll, "plimsoll");
    requireNonNull(routes, "routes");
    FilterRegistration.Dynamic filter =
        context.addFilter(FILTER_NAME, new PlimsollFilter(plimsoll, routes));
    filter.setAsyncSupported(true);
    filter.addMappingForUrlPatterns(
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR),
        false,
        "/*");
    ServletRegistration.Dynamic metrics =
        context.addServlet(
            METRICS_SERVLET_NAME,
            new MetricsServlet(plimsoll.metrics(), plimsoll.settings().managementPort()));
    metrics.addMapping(plimsoll.settings().metricsPath());
    String healthPath = plimsoll.settings().healthPath();
    ServletRegistration.Dynamic health =
        context.addServlet(
            HEALTH_SERVLET_NAME,
            new HealthServlet(
                plimsoll.health(),
                plimsoll.settings().healthShowDetails(),
                plimsoll.settings().managementPort()));
    health.addMapping(healthPath, healthPath + "/*");
  }
}
