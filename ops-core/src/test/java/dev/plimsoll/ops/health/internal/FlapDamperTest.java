package dev.plimsoll.ops.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.health.HealthResult;
import dev.plimsoll.ops.health.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlapDamperTest {

  @Test
  void aChangeIsReportedOnlyAfterEnoughConsecutiveRunsAsFreshAsTheLatest() {
    FlapDamper damper = new FlapDamper(3, 2);
    List<HealthStatus> reported = new ArrayList<>();
    Outcome previous = null;
    long at = 0;
    for (HealthResult run :
        List.of(
            HealthResult.up(),
            HealthResult.down("blip"),
            HealthResult.up(),
            HealthResult.down("1"),
            HealthResult.down("2"),
            HealthResult.down("3"),
            HealthResult.up(),
            HealthResult.up())) {
      at += 10;
      Outcome next = damper.damp(previous, new Outcome(run, at, 1));
      assertThat(next.completedAt()).isEqualTo(at);
      reported.add(next.result().status());
      previous = next;
    }
    assertThat(reported)
        .containsExactly(
            HealthStatus.UP,
            HealthStatus.UP,
            HealthStatus.UP,
            HealthStatus.UP,
            HealthStatus.UP,
            HealthStatus.DOWN,
            HealthStatus.DOWN,
            HealthStatus.UP);
  }

  @Test
  void withoutDampingEveryRunIsReported() {
    FlapDamper damper = new FlapDamper(1, 1);
    Outcome up = new Outcome(HealthResult.up(), 1, 1);
    Outcome down = new Outcome(HealthResult.down("gone"), 2, 1);
    assertThat(damper.damp(null, down)).isSameAs(down);
    assertThat(damper.damp(up, down)).isSameAs(down);
    assertThat(damper.damp(down, up)).isSameAs(up);
  }

  @Test
  void countsBelowOneAreRefused() {
    assertThatThrownBy(() -> new FlapDamper(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
