package dev.plimsoll.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The monitoring mixin ({@code mixin/}) run through its script, scripts/generate-mixin.sh. */
final class Mixin {

  /** The fleet example: cluster and namespace kept apart, only the plimsoll-* jobs read. */
  static final Path FLEET = Path.of("mixin/examples/fleet.jsonnet");

  private Mixin() {}

  /** Writes the files of {@code source} (a path from the root; null: the defaults) into out. */
  static void generate(Path out, Path source) throws Exception {
    List<String> args = new ArrayList<>(List.of(out.toString()));
    if (source != null) {
      args.add(Assets.root().resolve(source).toString());
    }
    Tool.Result result = Tool.generateMixin().run(Assets.root(), args);
    assertThat(result.exit()).as("scripts/generate-mixin.sh said:%n%s", result.output()).isZero();
  }
}
