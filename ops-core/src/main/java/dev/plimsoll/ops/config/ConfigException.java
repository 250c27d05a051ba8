package dev.plimsoll.ops.config;

import java.util.List;

/** Thrown when the configuration is invalid; its message lists every problem, secrets masked. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<ConfigProblem> problems;

  /**
   * Creates the exception for a non-empty list of problems.
   *
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  public ConfigException(List<ConfigProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order the settings were read. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String message(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty");
    }
    StringBuilder text =
        new StringBuilder("Invalid configuration, ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem:" : " problems:");
    for (ConfigProblem problem : problems) {
      text.append("\n  - ").append(problem);
    }
    return text.toString();
  }
}
