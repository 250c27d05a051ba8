package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.fail;

import dev.plimsoll.ops.testsupport.LocalServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the asset tests run (promtool, amtool, jsonnet through the mixin's script):
 * found on the PATH (the test fails when it is missing and {@code CI=true}, skips elsewhere), run
 * in a directory, its output and exit status kept.
 */
record Tool(Path executable) {

  /** What a run printed (stdout and stderr) and how it ended. */
  record Result(int exit, String output) {}

  static Tool require(String name, String install) {
    return new Tool(LocalServices.requireExecutable(name, install));
  }

  static Tool promtool() {
    return require("promtool", "Debian: apt-get install -y prometheus");
  }

  static Tool amtool() {
    return require("amtool", "Debian: apt-get install -y prometheus-alertmanager");
  }

  /** The mixin's generator, once jsonnet is known to be there. */
  static Tool generateMixin() {
    require("jsonnet", "Debian: apt-get install -y jsonnet");
    return new Tool(Assets.root().resolve("scripts/generate-mixin.sh"));
  }

  Result run(Path dir, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("%s did not finish in 5 minutes", command);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
