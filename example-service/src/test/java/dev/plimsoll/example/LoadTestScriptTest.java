package dev.plimsoll.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.ops.testsupport.LocalServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k6 script of release validation, which cannot run here: it parses as an ECMAScript module
 * ({@code node --check}, as k6 reads it), it takes its thresholds from {@code
 * release/thresholds.json} rather than writing them again, and those are the practice's (p95 under
 * 500 ms, errors under 1 %), the ones {@link ReleaseLoadCheck} enforces in the test suite.
 */
class LoadTestScriptTest {

  private static final Path SCRIPT = Path.of("release/load-test.js");

  @Test
  void theScriptParsesAsAModule(@TempDir Path work) throws Exception {
    Path node = LocalServices.requireExecutable("node", "Debian: apt-get install -y nodejs");
    String script = Files.readString(SCRIPT);
    // A syntax error first, so that a check that checks nothing cannot pass.
    assertThat(check(node, work.resolve("broken.mjs"), script + "\n}\n")).isNotZero();
    assertThat(check(node, work.resolve("load-test.mjs"), script)).isZero();
  }

  @Test
  void theScriptReadsItsThresholdsFromTheSharedFile() throws Exception {
    String script = Files.readString(SCRIPT);
    assertThat(script)
        .contains("open('./thresholds.json')")
        .contains("`p(95)<${limits.p95Millis}`")
        .contains("`rate<${limits.errorRatio}`")
        .contains("vus: limits.virtualUsers");
    ReleaseLoadCheck.Thresholds thresholds = ReleaseLoadCheck.Thresholds.read();
    assertThat(thresholds.p95Millis()).isEqualTo(500);
    assertThat(thresholds.errorRatio()).isEqualTo(0.01);
  }

  private static int check(Path node, Path copy, String source) throws Exception {
    Files.writeString(copy, source, StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(node.toString(), "--check", copy.toString())
            .redirectErrorStream(true)
            .start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }
}
