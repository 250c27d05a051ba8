package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

  @Test
  void findsMetricsButNotFunctionsLabelsOrKeywords() {
    assertThat(
            PromQlNames.metrics(
                "sum by (service_name) (rate(http_server_request_duration_seconds_count"
                    + "{http_response_status_code=~\"5..\", service_name=\"$service\"}[5m]))"
                    + " / on (service_name) group_left"
                    + " clamp_min(service:http_requests:rate5m, 1e-9) > bool 0.05"
                    + " unless absent(up{job=\"x\"}) offset 5m"))
        .containsExactlyInAnyOrder(
            "http_server_request_duration_seconds_count", "service:http_requests:rate5m", "up");
  }

  @Test
  void histogramFamiliesProvideTheirSeries() {
    assertThat(
            PromQlNames.sameFamily(
                "http_server_request_duration_seconds",
                "http_server_request_duration_seconds_bucket"))
        .isTrue();
    assertThat(PromQlNames.sameFamily("jvm_threads_live_threads", "jvm_threads_live")).isFalse();
  }
}
