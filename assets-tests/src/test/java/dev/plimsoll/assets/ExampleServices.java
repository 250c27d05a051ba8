package dev.plimsoll.assets;

import dev.plimsoll.ops.testsupport.JavaProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The packaged example service as the live tests start it: a child JVM on a loopback port. */
final class ExampleServices {

  /** Its {@code ops.service.name}. */
  static final String NAME = "example-service";

  /** A small heap and the quick compiler: several instances share two cores with the tests. */
  private static final List<String> JVM_ARGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

  private ExampleServices() {}

  /**
   * Starts {@code jar} on {@code port} in the environment {@code test} with {@code environment}
   * added; it serves {@code /metrics} and {@code /health} on that port too.
   */
  static JavaProcess start(Path jar, int port, Map<String, String> environment) throws IOException {
    Map<String, String> env = new HashMap<>(environment);
    env.putIfAbsent("OPS_ENVIRONMENT", "test");
    return JavaProcess.startJar(jar, env, JVM_ARGS, List.of("--server.port=" + port));
  }
}
