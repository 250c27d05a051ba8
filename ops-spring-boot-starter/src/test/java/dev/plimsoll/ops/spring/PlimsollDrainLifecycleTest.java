package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.shutdown.ShutdownCoordinator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlimsollDrainLifecycleTest {

  private final ShutdownCoordinator shutdown =
      ShutdownCoordinator.builder().drainDelay(Duration.ZERO).build();
  private final List<String> steps = new ArrayList<>();

  @Test
  void inAJvmShutdownTheListenerClosesAfterTheDrain() {
    PlimsollDrainLifecycle lifecycle =
        new PlimsollDrainLifecycle(
            shutdown,
            () -> steps.add(shutdown.isDraining() ? "close after drain" : "close before drain"),
            () -> true);
    lifecycle.start();
    lifecycle.stop();

    assertThat(steps).containsExactly("close after drain");
    assertThat(lifecycle.drainedCleanly()).isTrue();
    assertThat(lifecycle.isRunning()).isFalse();
  }

  @Test
  void aContextStoppedWhileTheJvmGoesOnNeitherDrainsNorClosesTheListener() {
    PlimsollDrainLifecycle lifecycle =
        new PlimsollDrainLifecycle(shutdown, () -> steps.add("close"), () -> false);
    lifecycle.start();
    lifecycle.stop();

    assertThat(steps).isEmpty();
    assertThat(shutdown.isDraining()).isFalse();
    assertThat(lifecycle.drainedCleanly()).isFalse();
  }
}
