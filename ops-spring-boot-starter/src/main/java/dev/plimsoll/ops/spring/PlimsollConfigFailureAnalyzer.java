package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid configuration into Spring Boot's startup report: every problem, of Plimsoll's
 * {@code ops.*} settings and of the application's {@code @ConfigurationProperties}, in one list,
 * with secrets hidden.
 */
public final class PlimsollConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

  /** Creates the analyzer; Spring Boot does it through {@code spring.factories}. */
  public PlimsollConfigFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Fix every setting listed above (application properties or environment variables such as"
            + " OPS_SHUTDOWN_DRAIN_DELAY) and start the application again.",
        cause);
  }
}
