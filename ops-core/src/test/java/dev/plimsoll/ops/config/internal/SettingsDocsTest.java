package dev.plimsoll.ops.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The settings tables in {@code docs/contract.md} are what the declarations in {@link OpsSettings}
 * give, and every {@code OPS_*} variable named in the docs and the example's deploy files is a
 * declared one. Regenerate the tables with {@code ./mvnw -o test -pl ops-core
 * -Dtest=SettingsDocsTest -Dplimsoll.docs.update=true}.
 */
class SettingsDocsTest {

  private static final String UPDATE = "plimsoll.docs.update";
  private static final Pattern VARIABLE = Pattern.compile("\\bOPS_[A-Z0-9_]*[A-Z0-9]\\b");

  @Test
  void theContractsSettingsTablesAreGeneratedFromTheDeclarations() throws IOException {
    Path contract = root().resolve("docs/contract.md");
    String committed = Files.readString(contract, StandardCharsets.UTF_8);
    String generated = SettingsDocs.update(committed);
    if (Boolean.getBoolean(UPDATE) && !generated.equals(committed)) {
      Files.writeString(contract, generated, StandardCharsets.UTF_8);
      committed = generated;
    }
    assertThat(committed)
        .as(
            "docs/contract.md's settings tables are generated from OpsSettings; regenerate them"
                + " with -D%s=true",
            UPDATE)
        .isEqualTo(generated);
  }

  @Test
  void eachTableHasOneRowPerDeclarationInOrder() {
    List<String> rows = SettingsDocs.settingsTable().lines().skip(2).toList();
    assertThat(rows).hasSize(OpsSettings.ALL.size());
    for (int i = 0; i < rows.size(); i++) {
      Setting<?> setting = OpsSettings.ALL.get(i);
      assertThat(rows.get(i))
          .startsWith("| `" + setting.key() + "` | `" + setting.environmentName() + "` | ")
          .endsWith(" | " + setting.description() + " |");
    }
    assertThat(SettingsDocs.switchesTable().lines().skip(2))
        .hasSize(OpsSettings.SWITCHES.size())
        .allSatisfy(row -> assertThat(row).contains("| `true` |"));
    assertThat(SettingsDocs.shownDefault(OpsSettings.METRICS_SLO_LATENCIES)).isEqualTo("`500ms`");
    assertThat(SettingsDocs.shownDefault(OpsSettings.MANAGEMENT_PORT)).isEqualTo("(none)");
    assertThat(SettingsDocs.shownDefault(OpsSettings.TRUSTED_PROXIES)).isEqualTo("(none)");
    assertThat(SettingsDocs.shownDefault(OpsSettings.SERVICE_NAME))
        .isEqualTo("`OTEL_SERVICE_NAME`, else `unknown_service:java`");
  }

  @Test
  void everyVariableNamedInTheDocsAndDeployFilesIsADeclaredSetting() throws IOException {
    Set<String> declared =
        Stream.concat(OpsSettings.ALL.stream(), OpsSettings.SWITCHES.stream())
            .map(Setting::environmentName)
            .collect(Collectors.toSet());
    Path root = root();
    List<Path> files = new ArrayList<>();
    for (String file : List.of("README.md", "CONTRIBUTING.md", "example-service/Dockerfile")) {
      files.add(root.resolve(file));
    }
    for (String dir : List.of("docs", "example-service/deploy", "example-service/src/main")) {
      try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
        walk.filter(Files::isRegularFile)
            .filter(p -> p.toString().matches(".*\\.(md|ya?ml|env|properties|json)$"))
            .forEach(files::add);
      }
    }
    Set<String> unknown = new TreeSet<>();
    int named = 0;
    for (Path file : files) {
      Matcher m = VARIABLE.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (m.find()) {
        named++;
        if (!declared.contains(m.group())) {
          unknown.add(root.relativize(file) + ": " + m.group());
        }
      }
    }
    assertThat(named).as("variables found").isGreaterThan(20);
    assertThat(unknown).as("OPS_* variables that no declaration in OpsSettings reads").isEmpty();
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/contract.md"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}
