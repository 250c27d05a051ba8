package dev.plimsoll.ops.config;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with the configuration: which key, what is wrong and what was expected. It never
 * holds the offending value of a secret.
 *
 * @param key the canonical key, such as {@code ops.metrics.max-routes}
 * @param environmentName the environment variable that sets it
 * @param problem what is wrong, such as "out of range"
 * @param expected what a valid value looks like
 */
public record ConfigProblem(String key, String environmentName, String problem, String expected) {

  /** Checks that every part is present. */
  public ConfigProblem {
    requireNonNull(key, "key");
    requireNonNull(environmentName, "environmentName");
    requireNonNull(problem, "problem");
    requireNonNull(expected, "expected");
  }

  @Override
  public String toString() {
    return key + " (" + environmentName + "): " + problem + "; expected " + expected;
  }
}
