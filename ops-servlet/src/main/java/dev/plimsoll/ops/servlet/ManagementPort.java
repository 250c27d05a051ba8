package dev.plimsoll.ops.servlet;

import jakarta.servlet.ServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Whether a request came in on the management listener ({@code ops.management.port}), where the
 * scrape and the health details are served. Not API.
 */
final class ManagementPort {

  private ManagementPort() {}

  /** True when no management port is set, or {@code request} arrived on it. */
  static boolean admits(@Nullable Integer port, ServletRequest request) {
    return port == null || request.getLocalPort() == port;
  }
}
