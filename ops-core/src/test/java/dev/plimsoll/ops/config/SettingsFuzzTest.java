package dev.plimsoll.ops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed values for every setting: the outcome is always settings or one clear
 * report, never another exception, a stack trace, a raw control character or a secret.
 */
class SettingsFuzzTest {

  private static final long SEED = 20261122L;
  private static final int ROUNDS = 2_000;

  private static final Setting<String> API_KEY = Setting.string("app.api-key", null).secret();
  private static final ConfigSchema SCHEMA =
      ConfigSchema.builder().add(API_KEY).includeOpsSettings().build();

  private static final List<String> TRICKY =
      List.of(
          "",
          " ",
          "\t",
          "-1",
          "0",
          "2147483648",
          "99999999999999999999",
          "1e9",
          "NaN",
          "-5s",
          "5 s",
          "PT-1S",
          "1.5h",
          "999999999d",
          "true ",
          "TRUE",
          "yes",
          "/",
          "//",
          "/../../etc/passwd",
          "a,,b,",
          ",",
          "10.0.0.0/33",
          "::1/129",
          "300.1.1.1",
          "json\njson",
          "text\u0000",
          "\u001b[31mred",
          "\u202eevil",
          "é",
          "日本語",
          "\ud83d\ude00",
          "\ud800",
          "${OPS_SECRET}",
          "%s%s%s%n",
          "{\"a\":1}",
          "x".repeat(10_000));

  @Test
  void anyValueOfAnySettingGivesSettingsOrOneCleanReport() {
    Random random = new Random(SEED);
    Set<String> keys = OpsSettings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
    int reports = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Map<String, String> values = new HashMap<>();
      String secret = "Zq" + Long.toHexString(random.nextLong()) + "!k";
      values.put(API_KEY.key(), secret);
      for (Setting<?> setting : OpsSettings.ALL) {
        if (random.nextInt(3) == 0) {
          values.put(setting.key(), value(random));
        }
      }
      if (random.nextBoolean()) {
        values.put("ops.environment", "production");
      }
      try {
        SCHEMA.requireValid(ConfigSource.of(values));
      } catch (ConfigException e) {
        reports++;
        String message = e.getMessage();
        assertThat(message).startsWith("Invalid configuration, ");
        assertThat(message.lines().count()).isEqualTo(e.problems().size() + 1L);
        assertThat(message).doesNotContain("\tat ", "Exception", secret);
        assertThat(message.codePoints().filter(c -> c != '\n' && Character.isISOControl(c)))
            .as("raw control characters in %s", message)
            .isEmpty();
        for (ConfigProblem problem : e.problems()) {
          assertThat(problem.key()).isIn(union(keys, API_KEY.key()));
          assertThat(problem.toString().length()).isLessThan(600);
        }
      } catch (RuntimeException e) {
        fail("round " + round + " with " + values.keySet() + " threw " + e, e);
      }
    }
    // The corpus must actually produce problems, or the loop proves nothing.
    assertThat(reports).isGreaterThan(ROUNDS / 2);
  }

  private static String value(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> TRICKY.get(random.nextInt(TRICKY.size()));
      case 1 -> randomText(random, random.nextInt(40));
      case 2 -> Integer.toString(random.nextInt()) + (random.nextBoolean() ? "ms" : "");
      default -> TRICKY.get(random.nextInt(TRICKY.size())) + randomText(random, 3);
    };
  }

  private static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      text.appendCodePoint(
          kind == 0
              ? random.nextInt(0x20)
              : kind == 1 ? 0x80 + random.nextInt(0x3000) : 0x20 + random.nextInt(0x5f));
    }
    return text.toString();
  }

  private static Set<String> union(Set<String> keys, String more) {
    Set<String> all = new java.util.HashSet<>(keys);
    all.add(more);
    return all;
  }
}
