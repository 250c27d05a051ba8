package dev.plimsoll.ops.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"abc-123", "f47ac10b-58cc-4372-a567-0e02b2c3d479", "a.b_c:d/e=f"})
  void safeIdsAreKept(String id) {
    assertThat(RequestIds.accept(id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a\r\nSet-Cookie: x=1",
        "tab\there",
        "bell\u0007",
        "caf\u00e9",
        "\u65e5\u672c",
        "with space",
        "q\"uote",
        "back\\slash",
        "nul\u0000"
      })
  void unsafeIdsAreRefused(String id) {
    assertThat(RequestIds.accept(id)).isNull();
    assertThat(RequestIds.acceptOrGenerate(id)).matches("[0-9a-f]{32}");
  }

  @Test
  void tooLongIdsAreRefused() {
    assertThat(RequestIds.accept("x".repeat(128))).isNotNull();
    assertThat(RequestIds.accept("x".repeat(129))).isNull();
    assertThat(RequestIds.accept("x".repeat(10 * 1024))).isNull();
  }

  @Test
  void generatedIdsDiffer() {
    assertThat(RequestIds.generate()).isNotEqualTo(RequestIds.generate()).matches("[0-9a-f]{32}");
  }
}
