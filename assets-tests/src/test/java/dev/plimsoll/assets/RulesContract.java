package dev.plimsoll.assets;

import dev.plimsoll.ops.testsupport.ContractDoc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names {@code docs/contract.md} promises: the rows of its Metrics table (with the
 * series of histograms and summaries), the Micrometer families of the paragraph after it ({@code
 * jvm_memory_*}, {@code logback_events_total}), and the HikariCP meters the starter's paragraph
 * names.
 */
final class RulesContract {

  private static final String HIKARI = "hikaricp_";

  private final Set<String> exact = new TreeSet<>();
  private final Set<String> prefixes = new TreeSet<>();

  private RulesContract() {}

  static RulesContract load() {
    RulesContract contract = new RulesContract();
    for (List<String> row : ContractDoc.load().table("## Metrics", "Metric")) {
      String name = ContractDoc.code(row.get(0));
      contract.exact.add(name);
      switch (row.get(1)) {
        case "histogram" -> {
          contract.exact.add(name + "_bucket");
          contract.exact.add(name + "_count");
          contract.exact.add(name + "_sum");
        }
        case "summary" -> {
          contract.exact.add(name + "_count");
          contract.exact.add(name + "_sum");
        }
        default -> {}
      }
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(Assets.root().resolve("docs/contract.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String code : ContractDoc.codes(paragraph(lines, "Also exposed, from Micrometer"))) {
      String name = code.replaceAll("\\{.*}", "");
      if (name.endsWith("*")) {
        contract.prefixes.add(name.substring(0, name.length() - 1));
      } else {
        contract.exact.add(name);
      }
    }
    for (String line : lines) {
      for (String code : ContractDoc.codes(line)) {
        if (code.matches("hikaricp_[a-z_]+")) {
          contract.exact.add(code);
        }
      }
    }
    return contract;
  }

  private static String paragraph(List<String> lines, String start) {
    List<String> paragraph = new ArrayList<>();
    for (String line : lines) {
      if (paragraph.isEmpty() && !line.startsWith(start)) {
        continue;
      }
      if (line.isBlank()) {
        break;
      }
      paragraph.add(line);
    }
    if (paragraph.isEmpty()) {
      throw new IllegalStateException("docs/contract.md has no paragraph starting '" + start + "'");
    }
    return String.join(" ", paragraph);
  }

  /**
   * Whether the contract documents {@code metric}, or names meters of its HikariCP family: the
   * contract lists some {@code hikaricp_*} meters and points to the rest, which dashboards show.
   */
  boolean documentsFamilyOf(String metric) {
    return documents(metric)
        || (metric.startsWith(HIKARI) && exact.stream().anyMatch(name -> name.startsWith(HIKARI)));
  }

  /** Whether the contract documents {@code metric}. */
  boolean documents(String metric) {
    return exact.contains(metric) || prefixes.stream().anyMatch(metric::startsWith);
  }

  @Override
  public String toString() {
    return exact + " and " + prefixes.stream().map(p -> p + "*").toList();
  }
}
