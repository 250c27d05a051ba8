package dev.plimsoll.ops.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.internal.SettingsReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTypesTest {

  enum Mode {
    READ_ONLY,
    READ_WRITE
  }

  private static final Setting<URI> URL = Setting.url("app.downstream.url", null);
  private static final Setting<String> JDBC = Setting.jdbcUrl("app.database.url", null);
  private static final Setting<Mode> MODE = Setting.enumOf("app.mode", Mode.class, Mode.READ_WRITE);

  private static List<ConfigProblem> read(Map<String, String> values) {
    SettingsReader reader = new SettingsReader(ConfigSource.of(values));
    reader.get(URL);
    reader.get(JDBC);
    reader.get(MODE);
    return reader.problems();
  }

  @Test
  void validValuesParse() {
    SettingsReader reader =
        new SettingsReader(
            ConfigSource.of(
                Map.of(
                    "app.downstream.url", "https://api.internal:8443/v1",
                    "app.database.url", "jdbc:postgresql://127.0.0.1:5432/test",
                    "app.mode", "read-only")));
    assertThat(reader.get(URL)).isEqualTo(URI.create("https://api.internal:8443/v1"));
    assertThat(reader.get(JDBC)).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
    assertThat(reader.get(MODE)).isEqualTo(Mode.READ_ONLY);
    assertThat(reader.problems()).isEmpty();
  }

  @Test
  void invalidValuesAreAllReported() {
    List<ConfigProblem> problems =
        read(
            Map.of(
                "app.downstream.url",
                "ftp://files",
                "app.database.url",
                "postgres://db",
                "app.mode",
                "sideways"));
    assertThat(problems)
        .extracting(ConfigProblem::key)
        .containsExactly("app.downstream.url", "app.database.url", "app.mode");
    assertThat(problems.get(2).expected()).isEqualTo("one of read-only, read-write");
  }

  @Test
  void credentialsInAnInvalidUrlAreNeverShown() {
    List<ConfigProblem> problems =
        read(
            Map.of(
                "app.downstream.url", "gopher://admin:hunter2@host/",
                "app.database.url", "postgresql://db/app?user=app&password=hunter2"));
    assertThat(problems).hasSize(2);
    assertThat(problems.toString()).doesNotContain("hunter2").contains(Redaction.MASK);
  }

  @Test
  void redactionKeepsTheRestReadable() {
    assertThat(Redaction.url("jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=******&ssl=true");
    assertThat(Redaction.url("https://user:pa55@host/path")).isEqualTo("https://******@host/path");
    assertThat(Redaction.url("jdbc:sqlserver://db;user=sa;password=x1;encrypt=true"))
        .isEqualTo("jdbc:sqlserver://db;user=sa;password=******;encrypt=true");
  }
}
