package dev.plimsoll.ops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tables of {@code docs/contract.md}, so tests can hold the code, the dashboards and the
 * alerts to what the contract says.
 */
public final class ContractDoc {

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private final List<String> lines;

  private ContractDoc(List<String> lines) {
    this.lines = lines;
  }

  /** Finds {@code docs/contract.md} in this directory or a parent, and reads it. */
  public static ContractDoc load() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("docs").resolve("contract.md");
      if (Files.isRegularFile(candidate)) {
        try {
          return new ContractDoc(Files.readAllLines(candidate));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "docs/contract.md not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * The rows of the first table under the heading {@code heading} whose header row starts with
   * {@code firstColumn}: each row a list of cells, the header and separator left out.
   */
  public List<List<String>> table(String heading, String firstColumn) {
    int i = lines.indexOf(heading);
    if (i < 0) {
      throw new IllegalArgumentException("No heading " + heading);
    }
    for (; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("| " + firstColumn + " |")) {
        List<List<String>> rows = new ArrayList<>();
        for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
          rows.add(cells(lines.get(j)));
        }
        return rows;
      }
      if (line.startsWith("## ") && !line.equals(heading)) {
        break;
      }
    }
    throw new IllegalArgumentException("No table '" + firstColumn + "' under " + heading);
  }

  /** Every {@code `code`} value of a cell, in order. */
  public static List<String> codes(String cell) {
    List<String> values = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  /** The single {@code `code`} value of a cell. */
  public static String code(String cell) {
    List<String> values = codes(cell);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("No code value in cell: " + cell);
    }
    return values.get(0);
  }

  /**
   * The first fenced code block of {@code language} (such as {@code json}) under the heading {@code
   * heading}, without its fences.
   */
  public String codeBlock(String heading, String language) {
    int start = lines.indexOf(heading);
    if (start < 0) {
      throw new IllegalArgumentException("no heading " + heading);
    }
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      if (lines.get(i).equals("```" + language)) {
        StringBuilder block = new StringBuilder();
        for (int j = i + 1; j < lines.size() && !lines.get(j).equals("```"); j++) {
          block.append(lines.get(j)).append('\n');
        }
        return block.toString();
      }
    }
    throw new IllegalArgumentException("no " + language + " block under " + heading);
  }

  /** Every line of the document that starts with {@code prefix}. */
  public List<String> linesStartingWith(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).toList();
  }

  private static List<String> cells(String row) {
    String inner = row.substring(1, row.lastIndexOf('|'));
    List<String> cells = new ArrayList<>();
    for (String cell : inner.split("\\|", -1)) {
      cells.add(cell.trim());
    }
    return cells;
  }
}
