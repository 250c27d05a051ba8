package dev.plimsoll.ops.shutdown.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShutdownBudgetTest {

  @Test
  void theDrainDelayPlusTheTimeoutMayUseTheWholeBudgetButNoMore() {
    Duration budget = Duration.ofSeconds(30);
    assertThat(ShutdownBudget.fits(Duration.ofSeconds(5), Duration.ofSeconds(20), budget)).isTrue();
    assertThat(ShutdownBudget.fits(Duration.ofSeconds(10), Duration.ofSeconds(20), budget))
        .isTrue();
    assertThat(ShutdownBudget.fits(Duration.ofSeconds(10), Duration.ofMillis(20_001), budget))
        .isFalse();
  }
}
