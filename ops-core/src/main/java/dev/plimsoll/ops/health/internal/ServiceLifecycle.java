package dev.plimsoll.ops.health.internal;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.health.HealthRegistry.Lifecycle;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the service is in its life: starting, serving, draining. The one record of it, shared by
 * the health registry (whose probes report it) and the shutdown coordinator (which drives it to
 * draining and tells the request path to close connections), so the two can never disagree. Moves
 * only forward; thread-safe. Not API.
 */
public final class ServiceLifecycle {

  // Logged under the registry's name, where operators have always found these lines.
  private static final Logger LOG = LoggerFactory.getLogger(HealthRegistry.class);

  private static final AtomicReference<@Nullable Function<HealthRegistry, ServiceLifecycle>>
      OF_REGISTRY = new AtomicReference<>();

  private final AtomicReference<Lifecycle> state;

  /** A lifecycle beginning in {@code initial}. */
  public ServiceLifecycle(Lifecycle initial) {
    this.state = new AtomicReference<>(requireNonNull(initial, "initial"));
  }

  /**
   * The lifecycle {@code registry} reports, so that a shutdown coordinator drives that one rather
   * than a copy.
   */
  public static ServiceLifecycle of(HealthRegistry registry) {
    requireNonNull(registry, "registry");
    // Set by HealthRegistry's static initializer, which has run since an instance exists.
    Function<HealthRegistry, ServiceLifecycle> access =
        requireNonNull(OF_REGISTRY.get(), "HealthRegistry is not initialised");
    return access.apply(registry);
  }

  /**
   * How {@link #of(HealthRegistry)} reaches a registry's lifecycle without a public accessor on the
   * registry; called once, by {@link HealthRegistry}.
   *
   * @throws IllegalStateException if it was already set
   */
  public static void provideRegistryAccess(Function<HealthRegistry, ServiceLifecycle> access) {
    requireNonNull(access, "access");
    if (!OF_REGISTRY.compareAndSet(null, access)) {
      throw new IllegalStateException("registry access is already set");
    }
  }

  /** The current state. */
  public Lifecycle state() {
    return state.get();
  }

  /** Whether shutdown has begun. */
  public boolean isDraining() {
    return state.get() == Lifecycle.DRAINING;
  }

  /** Starting → serving; a later state is kept, so a late start never undoes a drain. */
  public void markStarted() {
    if (state.compareAndSet(Lifecycle.STARTING, Lifecycle.SERVING)) {
      LOG.info("Service started; readiness now reports its checks");
    }
  }

  /** Any state → draining, once. */
  public void markDraining() {
    if (state.getAndSet(Lifecycle.DRAINING) != Lifecycle.DRAINING) {
      LOG.info("Readiness is DOWN: draining");
    }
  }
}
