package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthNames;
import dev.plimsoll.ops.health.HealthRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.support.GenericApplicationContext;

class DrainOnRefusingTrafficTest {

  /** Spring Boot's availability bean, noting whether the service drained before it heard. */
  static final class WatchingAvailability extends ApplicationAvailabilityBean {
    final List<String> readyWhenRecorded = new ArrayList<>();
    HealthRegistry health;

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
      readyWhenRecorded.add(event.getState() + " " + health.check(HealthGroup.READY).reason());
      super.onApplicationEvent(event);
    }
  }

  @Test
  void inAShutdownTheServiceDrainsBeforeSpringRecordsRefusingTraffic() {
    HealthRegistry health = HealthRegistry.builder().build();
    AtomicBoolean shuttingDown = new AtomicBoolean();
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      // Registered after Spring Boot's bean, as auto-configuration is.
      context.registerBean("availability", WatchingAvailability.class);
      context.registerBean(
          DrainOnRefusingTraffic.class,
          () -> new DrainOnRefusingTraffic(health, shuttingDown::get));
      context.refresh();
      WatchingAvailability availability = context.getBean(WatchingAvailability.class);
      availability.health = health;

      AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
      assertThat(health.check(HealthGroup.READY).reason())
          .as("refusing traffic while the JVM goes on (an application shedding load)")
          .isNull();
      shuttingDown.set(true);
      AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);

      assertThat(availability.readyWhenRecorded)
          .containsExactly("REFUSING_TRAFFIC null", "REFUSING_TRAFFIC " + HealthNames.DRAINING);
      assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
    } finally {
      health.close();
    }
  }
}
