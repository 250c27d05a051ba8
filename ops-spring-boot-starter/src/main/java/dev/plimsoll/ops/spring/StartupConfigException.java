package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.config.ConfigException;
import dev.plimsoll.ops.config.ConfigSchema;
import org.springframework.boot.ExitCodeGenerator;

/**
 * An invalid configuration found before any bean is created. Its own message is one line (Spring
 * logs it); the report is its cause's, printed once on standard error by {@link
 * PlimsollConfigFailureReporter}; a {@code main} started through {@code SpringApplication.run}
 * exits with {@link ConfigSchema#EXIT_CONFIG}, as a plain Plimsoll service does.
 */
final class StartupConfigException extends RuntimeException implements ExitCodeGenerator {

  private static final long serialVersionUID = 1L;

  StartupConfigException(ConfigException report) {
    super(
        "Invalid configuration, "
            + report.problems().size()
            + (report.problems().size() == 1 ? " problem" : " problems")
            + ", listed on standard error",
        report);
  }

  @Override
  public int getExitCode() {
    return ConfigSchema.EXIT_CONFIG;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // the report says where to look; a stack trace would only bury it
  }
}
