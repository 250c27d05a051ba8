package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigSchema;
import java.io.PrintStream;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Prints an invalid configuration's report once on standard error, one line per problem, as a plain
 * Plimsoll service does, whatever the log format: Spring Boot's own report goes through the logs,
 * which are JSON in production and would escape the report's lines.
 */
final class PlimsollConfigFailureReporter implements FailureAnalysisReporter {

  /** Creates the reporter; Spring Boot does it through {@code spring.factories}. */
  PlimsollConfigFailureReporter() {}

  @Override
  public void report(FailureAnalysis analysis) {
    for (Throwable cause = analysis.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConfigException config) {
        PrintStream err = System.err;
        err.println(config.getMessage());
        err.println(
            "Not starting: fix the settings above (exit status " + ConfigSchema.EXIT_CONFIG + ").");
        err.flush();
        return;
      }
    }
  }
}
