package dev.plimsoll.ops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.health.CheckReport;
import dev.plimsoll.ops.health.HealthCheckRegistration;
import dev.plimsoll.ops.health.HealthGroup;
import dev.plimsoll.ops.health.HealthRegistry;
import dev.plimsoll.ops.health.HealthResult;
import dev.plimsoll.ops.health.HealthStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Actuator's health indicators as Plimsoll checks, in Actuator's groups. */
class ActuatorHealthChecksTest {

  private final HealthRegistry health =
      HealthRegistry.builder().lifecycle(HealthRegistry.Lifecycle.SERVING).build();

  @AfterEach
  void close() {
    health.close();
  }

  @Test
  void eachIndicatorLandsInTheGroupActuatorPutItIn() {
    Map<String, HealthContributor> indicators = new LinkedHashMap<>();
    indicators.put("inventory", up());
    indicators.put("diskSpace", down());
    indicators.put("heartbeat", up());
    indicators.put("ping", up());
    indicators.put(
        "replicas", CompositeHealthContributor.fromMap(Map.of("one", up(), "two", down())));
    HealthEndpointGroups groups =
        HealthEndpointGroups.of(
            group(Set.of()),
            Map.of(
                ActuatorHealthChecks.READINESS, group(Set.of("inventory", "replicas")),
                ActuatorHealthChecks.LIVENESS, group(Set.of("heartbeat"))));

    List<String> added =
        ActuatorHealthChecks.register(
            health, CompositeHealthContributor.fromMap(indicators), groups, Set.of("ping"));

    assertThat(added).containsExactly("inventory", "disk-space", "heartbeat", "replicas");
    assertThat(check(HealthGroup.READY, "inventory").critical()).isTrue();
    assertThat(check(HealthGroup.READY, "replicas"))
        .satisfies(c -> assertThat(c.critical()).isTrue())
        .satisfies(c -> assertThat(c.status()).isEqualTo(HealthStatus.DOWN));
    // Outside Actuator's probe groups: shown, but it never turned readiness down, nor does it now.
    assertThat(check(HealthGroup.READY, "disk-space"))
        .satisfies(c -> assertThat(c.critical()).isFalse())
        .satisfies(c -> assertThat(c.status()).isEqualTo(HealthStatus.DOWN));
    assertThat(health.check(HealthGroup.LIVE).checks())
        .extracting(CheckReport::name)
        .containsExactly("heartbeat");
  }

  @Test
  void anIndicatorNeverTakesANameOfThePlimsollChecks() {
    health.register(
        HealthCheckRegistration.builder("mailer", HealthResult::up)
            .groups(HealthGroup.READY)
            .build());
    Map<String, HealthContributor> indicators = new LinkedHashMap<>();
    indicators.put("mailer", down());
    indicators.put("database", down());
    indicators.put("database-replica", down());
    indicators.put("application", down());

    assertThat(
            ActuatorHealthChecks.register(
                health, CompositeHealthContributor.fromMap(indicators), null, Set.of()))
        .isEmpty();
    assertThat(health.names()).containsExactly("mailer");
  }

  @Test
  void statusesAndNamesInPlimsollsTerms() {
    assertThat(ActuatorHealthChecks.checkName("diskSpace")).isEqualTo("disk-space");
    assertThat(ActuatorHealthChecks.checkName("redis")).isEqualTo("redis");
    assertThat(ActuatorHealthChecks.result(up())).isEqualTo(HealthResult.up());
    assertThat(ActuatorHealthChecks.result(down())).isEqualTo(HealthResult.down("down"));
    HealthIndicator outOfService = () -> Health.outOfService().build();
    assertThat(ActuatorHealthChecks.result(outOfService).status()).isEqualTo(HealthStatus.DOWN);
    HealthIndicator unknown = () -> Health.unknown().withDetail("password", "hunter2").build();
    assertThat(ActuatorHealthChecks.result(unknown))
        .satisfies(r -> assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED))
        .satisfies(r -> assertThat(r.details()).isEmpty()); // Actuator's details are never copied
  }

  private CheckReport check(HealthGroup group, String name) {
    return health.check(group).checks().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + group));
  }

  private static HealthIndicator up() {
    return () -> Health.up().build();
  }

  private static HealthIndicator down() {
    return () -> Health.down().withDetail("error", "connection refused").build();
  }

  private static HealthEndpointGroup group(Set<String> members) {
    return new HealthEndpointGroup() {
      @Override
      public boolean isMember(String name) {
        return members.contains(name);
      }

      @Override
      public boolean showComponents(SecurityContext securityContext) {
        return true;
      }

      @Override
      public boolean showDetails(SecurityContext securityContext) {
        return false;
      }

      @Override
      public StatusAggregator getStatusAggregator() {
        return StatusAggregator.getDefault();
      }

      @Override
      public HttpCodeStatusMapper getHttpCodeStatusMapper() {
        return HttpCodeStatusMapper.DEFAULT;
      }

      @Override
      public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
        return null;
      }
    };
  }
}
