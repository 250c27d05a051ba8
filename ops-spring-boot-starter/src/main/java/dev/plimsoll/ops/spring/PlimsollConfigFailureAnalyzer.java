package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid configuration into Spring Boot's startup report: a pointer to the one list of
 * every problem, of Plimsoll's {@code ops.*} settings and of the application's
 * {@code @ConfigurationProperties} with secrets hidden, which {@link PlimsollConfigFailureReporter}
 * prints on standard error.
 */
final class PlimsollConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

  /** Creates the analyzer; Spring Boot does it through {@code spring.factories}. */
  PlimsollConfigFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    return new FailureAnalysis(
        "Invalid configuration: "
            + cause.problems().size()
            + (cause.problems().size() == 1 ? " problem" : " problems")
            + ", listed on standard error.",
        "Fix every setting listed there (application properties or environment variables such as"
            + " OPS_SHUTDOWN_DRAIN_DELAY) and start the application again.",
        cause);
  }
}
