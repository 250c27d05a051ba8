package dev.plimsoll.ops.spring;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.health.HealthRegistry;
import java.util.function.BooleanSupplier;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Spring Boot refuses traffic as the context starts closing, just before the drain: when the JVM is
 * shutting down, that is the drain's beginning, and readiness says {@code draining} from that
 * moment on both paths. Runs before Spring Boot's {@code ApplicationAvailabilityBean} records the
 * state, so that no check ever sees {@code REFUSING_TRAFFIC} while the service does not count as
 * draining (its going down would be logged as a warning in every shutdown).
 */
final class DrainOnRefusingTraffic
    implements ApplicationListener<AvailabilityChangeEvent<?>>, Ordered {

  private final HealthRegistry health;
  private final BooleanSupplier jvmShuttingDown;

  DrainOnRefusingTraffic(HealthRegistry health, BooleanSupplier jvmShuttingDown) {
    this.health = requireNonNull(health, "health");
    this.jvmShuttingDown = requireNonNull(jvmShuttingDown, "jvmShuttingDown");
  }

  @Override
  public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
    if (event.getState() == ReadinessState.REFUSING_TRAFFIC && jvmShuttingDown.getAsBoolean()) {
      health.markDraining();
    }
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
