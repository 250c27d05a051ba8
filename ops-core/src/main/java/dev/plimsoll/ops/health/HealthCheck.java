package dev.plimsoll.ops.health;

/**
 * One check of something the service needs. It may block (a query, an HTTP call): the registry runs
 * it on its own executor with a timeout, so it never blocks a probe for longer than that.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Checks once and says how it went. An exception counts as {@link HealthStatus#DOWN}, with the
   * exception's class as the reason.
   *
   * @throws Exception when the check fails in a way it does not describe itself
   */
  HealthResult check() throws Exception;
}
