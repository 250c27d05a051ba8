package dev.plimsoll.ops.spring.internal;

import dev.plimsoll.ops.config.OpsSettings;
import java.util.Map;

/**
 * Not API. The defaults of Plimsoll's settings that differ under Spring Boot and do not depend on
 * the application: the environment post-processor applies them and the configuration metadata shows
 * them, so the two cannot disagree.
 */
public final class StarterDefaults {

  /**
   * Each key with its value under Spring Boot. No JVM shutdown hook: Spring's lifecycle runs the
   * drain, and a second hook would race it.
   */
  public static final Map<String, String> SETTINGS =
      Map.of(OpsSettings.SHUTDOWN_HOOK.key(), "false");

  private StarterDefaults() {}
}
