package dev.plimsoll.ops.config.internal;

import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.config.Setting;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Not API. The settings tables of {@code docs/contract.md}, written from the declarations in {@link
 * OpsSettings}: each table sits between two marker comments and is regenerated, never edited; a
 * test fails when the committed copy differs.
 */
public final class SettingsDocs {

  /** The marker name of the table of {@link OpsSettings#ALL}. */
  public static final String SETTINGS = "settings";

  /** The marker name of the table of {@link OpsSettings#SWITCHES}. */
  public static final String SWITCHES = "switches";

  private SettingsDocs() {}

  /** {@code document} with both tables replaced by what the declarations give. */
  public static String update(String document) {
    String updated = replace(document, SETTINGS, settingsTable());
    return replace(updated, SWITCHES, switchesTable());
  }

  /** Every setting: key, environment variable, default and meaning. */
  public static String settingsTable() {
    return table("| Key | Environment variable | Default | Meaning |", OpsSettings.ALL);
  }

  /** Every switch: key, environment variable, default and what {@code false} turns off. */
  public static String switchesTable() {
    return table("| Switch | Environment variable | Default | Turns off |", OpsSettings.SWITCHES);
  }

  private static String table(String header, List<Setting<?>> settings) {
    StringBuilder table = new StringBuilder(header).append('\n').append("|---|---|---|---|\n");
    for (Setting<?> setting : settings) {
      table
          .append("| `")
          .append(setting.key())
          .append("` | `")
          .append(setting.environmentName())
          .append("` | ")
          .append(shownDefault(setting))
          .append(" | ")
          .append(setting.description())
          .append(" |\n");
    }
    return table.toString();
  }

  /** The declared default text as is, a printed value as code, {@code (none)} without either. */
  static String shownDefault(Setting<?> setting) {
    String documented = setting.documentedDefault();
    String printed = printed(setting);
    if (documented == null || documented.isEmpty()) {
      return "(none)";
    }
    return documented.equals(printed) ? "`" + printed + "`" : documented;
  }

  private static <T> @Nullable String printed(Setting<T> setting) {
    T value = setting.defaultValue();
    return value == null ? null : setting.format(value);
  }

  private static String replace(String document, String name, String content) {
    String begin = "<!-- generated: " + name + " (from OpsSettings; do not edit) -->\n";
    String end = "<!-- end generated: " + name + " -->";
    int from = document.indexOf(begin);
    int to = document.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("no generated region '" + name + "' in the document");
    }
    return document.substring(0, from + begin.length()) + content + document.substring(to);
  }
}
