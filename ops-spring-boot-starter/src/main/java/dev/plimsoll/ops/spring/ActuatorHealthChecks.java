package dev.plimsoll.ops.spring;

import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.health.HealthResult;
import dev.plimsoll.ops.health.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The application's Actuator health indicators as Plimsoll checks, in the groups Actuator put them
 * in: a member of Actuator's {@code liveness} group is a critical {@code live} check, a member of
 * its {@code readiness} group a critical {@code ready} check, and any other indicator a
 * non-critical {@code ready} check (shown, but it does not turn readiness down, as it did not turn
 * Actuator's readiness down). Indicators Plimsoll already has ({@code db}, {@code diskSpace} when
 * Plimsoll checks them, Spring Boot's availability states, {@code ping}) are not added twice.
 * Results carry Actuator's status only, never its details.
 */
final class ActuatorHealthChecks {

  private static final Logger LOG = LoggerFactory.getLogger(ActuatorHealthChecks.class);

  /** Actuator's probe groups. */
  static final String LIVENESS = "liveness";

  static final String READINESS = "readiness";

  private static final Set<String> RESERVED =
      Set.of(ApplicationReadinessCheck.NAME, "database", "disk", "deadlock");

  private ActuatorHealthChecks() {}

  /**
   * Registers every top-level contributor whose name is not in {@code skip}.
   *
   * @return the names of the checks added
   */
  static List<String> register(
      HealthRegistry health,
      HealthContributors contributors,
      @Nullable HealthEndpointGroups groups,
      Set<String> skip) {
    HealthEndpointGroup liveness = groups == null ? null : groups.get(LIVENESS);
    HealthEndpointGroup readiness = groups == null ? null : groups.get(READINESS);
    List<String> added = new ArrayList<>();
    for (HealthContributors.Entry entry : contributors) {
      String name = entry.name();
      if (skip.contains(name)) {
        continue;
      }
      boolean live = liveness != null && liveness.isMember(name);
      boolean ready = readiness != null && readiness.isMember(name);
      String checkName = checkName(name);
      if (health.names().contains(checkName) || reserved(checkName)) {
        LOG.info(
            "Actuator's health indicator '{}' is not added: Plimsoll has a check named '{}'",
            name,
            checkName);
        continue;
      }
      HealthContributor contributor = entry.contributor();
      HealthCheckRegistration.Builder registration =
          HealthCheckRegistration.builder(checkName, () -> result(contributor));
      if (live && ready) {
        registration.groups(HealthGroup.LIVE, HealthGroup.READY);
      } else if (live) {
        registration.groups(HealthGroup.LIVE);
      } else {
        registration.groups(HealthGroup.READY).critical(ready);
      }
      health.register(registration.build());
      added.add(checkName);
    }
    return added;
  }

  /**
   * Names the starter's own checks use, whichever registers first: an indicator that took one would
   * stop the start-up when Plimsoll's check is added after it.
   */
  private static boolean reserved(String checkName) {
    return RESERVED.contains(checkName) || checkName.startsWith("database-");
  }

  /** Actuator's name in Plimsoll's spelling: {@code diskSpace} becomes {@code disk-space}. */
  static String checkName(String name) {
    String kebab =
        name.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_.-]", "-");
    return kebab.length() > 63 ? kebab.substring(0, 63) : kebab;
  }

  static HealthResult result(HealthContributor contributor) {
    Status status = status(contributor);
    if (Status.UP.equals(status)) {
      return HealthResult.up();
    }
    String reason = status.getCode().toLowerCase(Locale.ROOT);
    return Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status)
        ? HealthResult.down(reason)
        : HealthResult.of(HealthStatus.DEGRADED, reason);
  }

  /** The worst status of an indicator or of every indicator of a composite. */
  private static Status status(HealthContributor contributor) {
    if (contributor instanceof HealthIndicator indicator) {
      Health health = indicator.health(false);
      return health == null ? Status.UNKNOWN : health.getStatus();
    }
    if (contributor instanceof CompositeHealthContributor composite) {
      Status worst = Status.UP;
      for (HealthContributors.Entry child : composite) {
        Status status = status(child.contributor());
        if (rank(status) > rank(worst)) {
          worst = status;
        }
      }
      return worst;
    }
    return Status.UNKNOWN;
  }

  private static int rank(Status status) {
    if (Status.DOWN.equals(status)) {
      return 3;
    }
    if (Status.OUT_OF_SERVICE.equals(status)) {
      return 2;
    }
    return Status.UP.equals(status) ? 0 : 1;
  }
}
