package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ExampleConfigurationTest {

  @Test
  void theDownstreamCheckKeepsTheBasePath() {
    // Regression: URI.resolve("/health") dropped "/api", so the check probed the wrong service.
    assertThat(ExampleConfiguration.healthOf(URI.create("http://peer:8081/api")))
        .isEqualTo(URI.create("http://peer:8081/api/health"));
    assertThat(ExampleConfiguration.healthOf(URI.create("http://peer:8081/")))
        .isEqualTo(URI.create("http://peer:8081/health"));
  }
}
