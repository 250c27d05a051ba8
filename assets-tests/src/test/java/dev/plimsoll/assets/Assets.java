package dev.plimsoll.assets;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the ops assets live: {@code alerts/} and {@code dashboards/} at the repository root. */
final class Assets {

  private Assets() {}

  /** The repository root, found from the working directory. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("alerts"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no alerts/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path alerts() {
    return root().resolve("alerts");
  }

  static Path dashboards() {
    return root().resolve("dashboards");
  }

  /** The example service's packaged jar, built before this module. */
  static Path exampleServiceJar() {
    return root().resolve("example-service/target/example-service.jar");
  }
}
