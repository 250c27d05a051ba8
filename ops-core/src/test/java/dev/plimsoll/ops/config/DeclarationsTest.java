package dev.plimsoll.ops.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each of Plimsoll's settings is one declaration in {@link OpsSettings}, and everything else is
 * derived from it: the lists, the environment variable, the read value.
 */
class DeclarationsTest {

  @Test
  void everyDeclaredConstantIsInTheDerivedListsOnceAndInOrder() throws Exception {
    List<Setting<?>> constants = new ArrayList<>();
    for (Field field : OpsSettings.class.getDeclaredFields()) {
      if (field.getType() == Setting.class && Modifier.isStatic(field.getModifiers())) {
        assertThat(Modifier.isPublic(field.getModifiers())).as(field.getName()).isTrue();
        constants.add((Setting<?>) field.get(null));
      }
    }
    List<Setting<?>> derived = new ArrayList<>(OpsSettings.ALL);
    derived.addAll(OpsSettings.SWITCHES);
    assertThat(derived).containsExactlyInAnyOrderElementsOf(constants).doesNotHaveDuplicates();
    assertThat(OpsSettings.ALL)
        .startsWith(OpsSettings.SERVICE_NAME)
        .endsWith(OpsSettings.MANAGEMENT_PORT);
    assertThat(OpsSettings.SWITCHES).startsWith(OpsSettings.ENABLED);
  }

  @Test
  void everyDeclarationIsDescribedAndItsDefaultReadsBackAsItself() {
    List<Setting<?>> all = new ArrayList<>(OpsSettings.ALL);
    all.addAll(OpsSettings.SWITCHES);
    for (Setting<?> setting : all) {
      assertThat(setting.description()).as(setting.key()).isNotBlank().endsWith(".");
      assertThat(setting.key()).as(setting.key()).matches("ops(\\.[a-z][a-z0-9-]*)+");
      assertThat(setting.environmentName())
          .isEqualTo(setting.key().toUpperCase().replace('.', '_').replace('-', '_'));
      assertRoundTrip(setting);
    }
    assertThat(OpsSettings.SWITCHES)
        .allSatisfy(s -> assertThat(s.defaultValue()).isEqualTo(Boolean.TRUE));
  }

  @Test
  void aValueIsReadThroughItsDeclarationAlone() {
    OpsSettings settings =
        OpsSettings.from(
            ConfigSource.of(Map.of("ops.tracing.enabled", "false", "ops.health.timeout", "750ms")));
    assertThat(settings.get(OpsSettings.TRACING_ENABLED)).isFalse();
    assertThat(settings.get(OpsSettings.METRICS_ENABLED)).isTrue();
    assertThat(settings.get(OpsSettings.HEALTH_TIMEOUT)).isEqualTo(settings.healthTimeout());
    assertThat(settings.get(OpsSettings.MANAGEMENT_PORT)).isNull();
    Setting<Boolean> lookalike = Setting.bool("ops.tracing.enabled", true);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings.get(lookalike))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not one of Plimsoll's settings");
  }

  @Test
  void anInvalidSwitchIsReportedWithTheSettings() {
    assertThat(
            OpsSettings.validate(
                ConfigSource.of(Map.of("ops.tracing.enabled", "maybe", "ops.log.level", "loud"))))
        .extracting(ConfigProblem::key)
        .containsExactly("ops.log.level", "ops.tracing.enabled");
  }

  private static <T> void assertRoundTrip(Setting<T> setting) {
    T value = setting.defaultValue();
    if (value != null) {
      assertThat(setting.parse(setting.format(value))).as(setting.key()).isEqualTo(value);
    }
  }
}
