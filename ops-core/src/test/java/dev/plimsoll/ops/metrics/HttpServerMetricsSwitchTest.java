package dev.plimsoll.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.config.ConfigSource;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.http.FakeExchange;
import dev.plimsoll.ops.http.ObservedRequest;
import dev.plimsoll.ops.testsupport.Scrape;
import io.opentelemetry.context.Scope;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ops.metrics.http-server.enabled}: the one switch for who records HTTP server metrics. */
class HttpServerMetricsSwitchTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void plimsollRecordsTheHttpServerMetricsUnlessSwitchedOff(boolean enabled) {
    Map<String, String> values = new HashMap<>();
    values.put("ops.shutdown.hook", "false");
    if (!enabled) {
      values.put("ops.metrics.http-server.enabled", "false");
    }
    try (Plimsoll plimsoll =
        Plimsoll.builder().settings(OpsSettings.from(ConfigSource.of(values))).build()) {
      ObservedRequest request =
          Objects.requireNonNull(plimsoll.httpServer().begin(new FakeExchange("GET", "/orders")));
      Scope scope = request.enter();
      request.end(null);
      request.exit(scope, null);
      Scrape scrape = Scrape.parse(plimsoll.metrics().scrape(null));
      assertThat(scrape.families().contains("http_server_request_duration_seconds"))
          .isEqualTo(enabled);
      assertThat(scrape.families().contains("http_server_active_requests")).isEqualTo(enabled);
      // Everything else stays.
      assertThat(scrape.families()).contains("ops_build_info");
    }
  }
}
