package dev.plimsoll.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {

  private static final Instant AT = Instant.parse("2026-11-30T03:00:00.123Z");

  @Test
  void theBodyIsExactlyTheDocumentedShapeWithEveryFieldInOrder() {
    HealthReport report =
        new HealthReport(
            HealthGroup.READY,
            HealthStatus.DOWN,
            null,
            AT,
            List.of(
                new CheckReport(
                    "db", HealthStatus.DOWN, true, Duration.ofMillis(12), "refused", Map.of()),
                new CheckReport(
                    "disk", HealthStatus.UP, false, Duration.ofNanos(1_500), null, Map.of())));
    assertThat(report.toJson(true))
        .isEqualTo(
            "{\"status\":\"DOWN\",\"group\":\"ready\",\"timestamp\":\"2026-11-30T03:00:00.123Z\","
                + "\"checks\":{"
                + "\"db\":{\"status\":\"DOWN\",\"critical\":true,\"duration_ms\":12.0,"
                + "\"reason\":\"refused\"},"
                + "\"disk\":{\"status\":\"UP\",\"critical\":false,\"duration_ms\":0.001}}}");
  }

  @Test
  void whatAChecksSaysIsEscapedAsBeforeAndNeverShowsCredentials() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("url", "jdbc:postgresql://app:hunter2@db:5432/x");
    details.put("say \"hi\"", "tab\there\u2028\u0001\b\f</script>");
    details.put("nested", Map.of(2, List.of(1, 2.5f, true), 1, Double.NaN));
    details.put("list", Arrays.asList(null, (short) 3, 7L));
    HealthReport report =
        new HealthReport(
            null,
            HealthStatus.DOWN,
            HealthNames.DRAINING,
            AT,
            List.of(
                new CheckReport(
                    "api.v2-x_1",
                    HealthStatus.DOWN,
                    true,
                    Duration.ZERO,
                    "said \"no\"\\\r\n",
                    details)));
    assertThat(report.toJson(true))
        .isEqualTo(
            "{\"status\":\"DOWN\",\"reason\":\"draining\","
                + "\"timestamp\":\"2026-11-30T03:00:00.123Z\",\"checks\":{"
                + "\"api.v2-x_1\":{\"status\":\"DOWN\",\"critical\":true,\"duration_ms\":0.0,"
                + "\"reason\":\"said \\\"no\\\"\\\\\\r\\n\",\"details\":{"
                + "\"list\":[null,3,7],"
                + "\"nested\":{\"1\":\"NaN\",\"2\":[1,2.5,true]},"
                + "\"say \\\"hi\\\"\":\"tab\\there\\u2028\\u0001\\u0008\\u000c</script>\","
                + "\"url\":\"jdbc:postgresql://******@db:5432/x\"}}}}");
    assertThat(report.toJson(false)).doesNotContain("details", "hunter2");
  }
}
