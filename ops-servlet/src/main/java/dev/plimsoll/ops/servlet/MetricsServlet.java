package dev.plimsoll.ops.servlet;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.metrics.PrometheusMetrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Serves the Prometheus scrape: the text format by default, OpenMetrics (with exemplars) when the
 * scraper's {@code Accept} header asks for it.
 */
public final class MetricsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient PrometheusMetrics metrics;

  /** Serves the scrapes of {@code metrics}. */
  public MetricsServlet(PrometheusMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    String contentType = metrics.scrape(request.getHeader("Accept"), body);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(contentType);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.size());
    body.writeTo(response.getOutputStream());
  }
}
