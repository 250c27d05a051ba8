package dev.plimsoll.ops.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A check with its name, its groups and how it runs: critical or not, its timeout, how long its
 * result is reused, whether it is refreshed in the background and how it damps flapping. Immutable;
 * made by {@link #builder(String, HealthCheck)}.
 */
public final class HealthCheckRegistration {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

  private final String name;
  private final HealthCheck check;
  private final Set<HealthGroup> groups;
  private final boolean critical;
  private final @Nullable Duration timeout;
  private final @Nullable Duration cacheTtl;
  private final @Nullable Duration refreshInterval;
  private final @Nullable Duration maxStaleness;
  private final int failuresToDown;
  private final int successesToUp;

  private HealthCheckRegistration(Builder builder) {
    this.name = builder.name;
    this.check = builder.check;
    this.groups = Set.copyOf(builder.groups);
    this.critical = builder.critical;
    this.timeout = builder.timeout;
    this.cacheTtl = builder.cacheTtl;
    this.refreshInterval = builder.refreshInterval;
    this.maxStaleness = builder.maxStaleness;
    this.failuresToDown = builder.failuresToDown;
    this.successesToUp = builder.successesToUp;
  }

  /**
   * Starts a registration of {@code check} under {@code name}: lower-case letters, digits, '_', '.'
   * or '-', as it becomes the {@code check} label. By default it is critical and in the {@code
   * ready} group.
   *
   * @throws IllegalArgumentException if the name is not allowed
   */
  public static Builder builder(String name, HealthCheck check) {
    return new Builder(name, check);
  }

  /** The name, used in the JSON body and as the {@code check} label. */
  public String name() {
    return name;
  }

  /** The check. */
  public HealthCheck check() {
    return check;
  }

  /** The groups it belongs to. */
  public Set<HealthGroup> groups() {
    return groups;
  }

  /** Whether its failure takes its groups {@code DOWN} (otherwise {@code DEGRADED}). */
  public boolean critical() {
    return critical;
  }

  /** Its own timeout, or {@code null} for the registry's default. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** How long a result is reused, or {@code null} for the registry's default. */
  public @Nullable Duration cacheTtl() {
    return cacheTtl;
  }

  /** How often it is run in the background, or {@code null} when it runs when probed. */
  public @Nullable Duration refreshInterval() {
    return refreshInterval;
  }

  /**
   * How old a background result may be before it counts as {@code DOWN} with reason {@code stale};
   * {@code null} for three refresh intervals plus the timeout.
   */
  public @Nullable Duration maxStaleness() {
    return maxStaleness;
  }

  /** Consecutive failures before the reported status turns bad (1 when flapping is not damped). */
  public int failuresToDown() {
    return failuresToDown;
  }

  /** Consecutive successes before the reported status turns up (1 when not damped). */
  public int successesToUp() {
    return successesToUp;
  }

  /** Builds a {@link HealthCheckRegistration}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final HealthCheck check;
    private Set<HealthGroup> groups = EnumSet.of(HealthGroup.READY);
    private boolean critical = true;
    private @Nullable Duration timeout;
    private @Nullable Duration cacheTtl;
    private @Nullable Duration refreshInterval;
    private @Nullable Duration maxStaleness;
    private int failuresToDown = 1;
    private int successesToUp = 1;

    private Builder(String name, HealthCheck check) {
      requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "check name '"
                + name
                + "' must be 1 to 63 lower-case letters, digits, '_', '.' or '-'");
      }
      this.name = name;
      this.check = requireNonNull(check, "check");
    }

    /**
     * The groups the check belongs to (replacing the default {@code ready}).
     *
     * @throws IllegalArgumentException if there are none
     */
    public Builder groups(HealthGroup first, HealthGroup... more) {
      requireNonNull(first, "first");
      EnumSet<HealthGroup> set = EnumSet.of(first, more);
      this.groups = set;
      return this;
    }

    /** Whether a failure takes the groups {@code DOWN} (true, the default) or {@code DEGRADED}. */
    public Builder critical(boolean critical) {
      this.critical = critical;
      return this;
    }

    /** How long one run may take before the check is {@code DOWN} with reason {@code timeout}. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** How long a result is reused by every probe; zero runs the check at every probe. */
    public Builder cacheTtl(Duration cacheTtl) {
      requireNonNull(cacheTtl, "cacheTtl");
      if (cacheTtl.isNegative()) {
        throw new IllegalArgumentException("cacheTtl must not be negative");
      }
      this.cacheTtl = cacheTtl;
      return this;
    }

    /**
     * Runs the check in the background every {@code interval}; probes then only read its latest
     * result, which counts as {@code DOWN} ({@code stale}) once older than the maximum staleness.
     */
    public Builder refreshEvery(Duration interval) {
      this.refreshInterval = positive(interval, "interval");
      return this;
    }

    /** How old a background result may get before it counts as {@code DOWN} ({@code stale}). */
    public Builder maxStaleness(Duration maxStaleness) {
      this.maxStaleness = positive(maxStaleness, "maxStaleness");
      return this;
    }

    /**
     * Damps flapping: the reported status changes only after {@code failures} consecutive failed
     * runs, or {@code successes} consecutive good ones. Only for non-critical checks, so a critical
     * failure is never hidden.
     *
     * @throws IllegalArgumentException if a count is below 1
     */
    public Builder dampFlapping(int failures, int successes) {
      if (failures < 1 || successes < 1) {
        throw new IllegalArgumentException("failures and successes must be at least 1");
      }
      this.failuresToDown = failures;
      this.successesToUp = successes;
      return this;
    }

    /**
     * Builds it.
     *
     * @throws IllegalStateException if a critical check damps flapping
     */
    public HealthCheckRegistration build() {
      if (critical && (failuresToDown > 1 || successesToUp > 1)) {
        throw new IllegalStateException(
            "check '" + name + "': only a non-critical check may damp flapping");
      }
      return new HealthCheckRegistration(this);
    }

    private static Duration positive(Duration value, String what) {
      requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return value;
    }
  }
}
