package dev.plimsoll.ops.servlet;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.metrics.PrometheusMetrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Serves the Prometheus scrape: the text format by default, OpenMetrics (with exemplars) when the
 * scraper's {@code Accept} header asks for it. With a management port, only there: 404 elsewhere.
 */
public final class MetricsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient PrometheusMetrics metrics;
  private final @Nullable Integer managementPort;

  /** Serves the scrapes of {@code metrics} on every port. */
  public MetricsServlet(PrometheusMetrics metrics) {
    this(metrics, null);
  }

  /**
   * Serves the scrapes of {@code metrics} only on {@code managementPort} ({@code
   * ops.management.port}), or on every port when it is {@code null}.
   */
  public MetricsServlet(PrometheusMetrics metrics, @Nullable Integer managementPort) {
    this.metrics = requireNonNull(metrics, "metrics");
    this.managementPort = managementPort;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!ManagementPort.admits(managementPort, request)) {
      response.setHeader("Cache-Control", "no-store");
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    String contentType = metrics.scrape(request.getHeader("Accept"), body);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(contentType);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.size());
    body.writeTo(response.getOutputStream());
  }
}
