package dev.plimsoll.ops.servlet;

import dev.plimsoll.ops.logging.LogCorrelation;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;

/**
 * Clears the request's IDs from the MDC once the container is done with the request, after it
 * logged any error the application threw, so that line still carries them.
 */
final class CorrelationCleanup implements ServletRequestListener {

  private final LogCorrelation correlation;

  CorrelationCleanup(LogCorrelation correlation) {
    this.correlation = correlation;
  }

  @Override
  public void requestDestroyed(ServletRequestEvent event) {
    correlation.clear();
  }
}
