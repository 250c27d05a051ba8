package dev.plimsoll.ops.config;

import java.time.Duration;
import java.util.List;

/** A service's {@code main} in miniature, started as a child JVM by {@link ConfigExitIT}. */
final class ConfigExitMain {

  static final String SERVING = "serving on port ";

  static final Setting<String> DB_URL = Setting.jdbcUrl("app.database.url", null).required();
  static final Setting<String> API_KEY = Setting.string("app.api-key", null).secret().required();
  static final Setting<String> SESSION_SECRET = Setting.string("app.session-secret", null).secret();
  static final Setting<Integer> PORT = Setting.integer("app.port", 8080, 1, 65_535);
  static final Setting<Boolean> DEBUG = Setting.debugSwitch("app.debug");
  static final Setting<List<String>> ORIGINS =
      Setting.corsOrigins("app.cors.allowed-origins", List.of());
  static final Setting<Duration> TIMEOUT =
      Setting.duration(
          "app.timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1));
  static final Setting<String> REGION = Setting.string("app.region", null).required();

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .add(DB_URL, API_KEY, SESSION_SECRET, PORT, DEBUG, ORIGINS, TIMEOUT, REGION)
          .includeOpsSettings()
          .build();

  private ConfigExitMain() {}

  public static void main(String[] args) {
    ConfigValues values = SCHEMA.requireValidOrExit(ConfigSource.standard());
    System.out.println(SERVING + values.get(PORT));
  }
}
