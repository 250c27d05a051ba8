package dev.plimsoll.ops.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathPrefixesTest {

  @Test
  void aPathMatchesWhenItStartsWithAPrefix() {
    PathPrefixes prefixes = PathPrefixes.of(List.of("/health", "/metrics"));
    assertThat(prefixes.matches("/health")).isTrue();
    assertThat(prefixes.matches("/health/ready")).isTrue();
    assertThat(prefixes.matches("/metrics")).isTrue();
    assertThat(prefixes.matches("/orders/1")).isFalse();
    assertThat(prefixes.matches("/")).isFalse();
  }

  @Test
  void noPrefixesMatchNothing() {
    assertThat(PathPrefixes.of(List.of()).matches("/health")).isFalse();
  }
}
