package dev.plimsoll.ops.servlet;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.health.HealthReport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the probes: {@code /live}, {@code /ready} and {@code /started} below its mapping, and
 * every check at the mapping itself. 200 when up or degraded, 503 when down, with a JSON body; it
 * keeps answering while the service drains, so the platform sees it leave. With a management port,
 * every check and the details answer only there; other ports serve the probes without details.
 */
public final class HealthServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(HealthServlet.class);

  private final transient HealthRegistry health;
  private final boolean showDetails;
  private final @Nullable Integer managementPort;

  /** Serves the checks of {@code health} on every port; details only when {@code showDetails}. */
  public HealthServlet(HealthRegistry health, boolean showDetails) {
    this(health, showDetails, null);
  }

  /**
   * Serves the checks of {@code health}; with a {@code managementPort} ({@code
   * ops.management.port}), every check and the details (when {@code showDetails}) only on it, the
   * probes alone elsewhere.
   */
  public HealthServlet(
      HealthRegistry health, boolean showDetails, @Nullable Integer managementPort) {
    this.health = requireNonNull(health, "health");
    this.showDetails = showDetails;
    this.managementPort = managementPort;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String sub = request.getPathInfo();
    boolean management = ManagementPort.admits(managementPort, request);
    boolean all = sub == null || sub.equals("/") || sub.isEmpty();
    @Nullable HealthGroup group = all ? null : group(sub);
    // Every check is for the management port; elsewhere only the probes answer.
    if (all ? !management : group == null) {
      response.setHeader("Cache-Control", "no-store");
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    int status;
    byte[] body;
    try {
      HealthReport report = group == null ? health.checkAll() : health.check(group);
      status = report.httpStatus();
      body = report.toJson(showDetails && management).getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      LOG.error("Health endpoint failed; answering 503", e);
      status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
      body = "{\"status\":\"DOWN\",\"reason\":\"error\"}".getBytes(StandardCharsets.UTF_8);
    }
    response.setStatus(status);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static @Nullable HealthGroup group(String sub) {
    for (HealthGroup group : HealthGroup.values()) {
      if (sub.equals("/" + group.label())) {
        return group;
      }
    }
    return null;
  }
}
