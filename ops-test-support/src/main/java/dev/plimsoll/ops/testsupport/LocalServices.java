package dev.plimsoll.ops.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * The real services integration tests use on this machine, and the rule for when one is missing: on
 * CI (environment variable {@code CI=true}) the test fails, elsewhere it is skipped with a message
 * that says what to start.
 */
public final class LocalServices {

  /** Where PostgreSQL listens: database {@code test}, user {@code postgres}, trust auth. */
  public static final InetSocketAddress POSTGRES = new InetSocketAddress("127.0.0.1", 5432);

  private static final int CONNECT_TIMEOUT_MILLIS = 1000;

  private LocalServices() {}

  /**
   * Returns PostgreSQL's address if it accepts a TCP connection.
   *
   * @throws AssertionError if it does not and {@code CI=true}
   * @throws org.opentest4j.TestAbortedException if it does not elsewhere, which skips the test
   */
  public static InetSocketAddress requirePostgres() {
    return require("PostgreSQL", POSTGRES, System.getenv("CI"));
  }

  /**
   * Returns the absolute path of an executable on the {@code PATH}, such as {@code promtool}.
   *
   * @throws AssertionError if there is none and {@code CI=true}
   * @throws org.opentest4j.TestAbortedException if there is none elsewhere, which skips the test
   */
  public static java.nio.file.Path requireExecutable(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        java.nio.file.Path candidate = java.nio.file.Path.of(dir, name);
        if (java.nio.file.Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    String message = name + " is not on the PATH (Debian: apt-get install -y prometheus)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + "; CI=true, so the test fails instead of skipping");
    }
    return Assumptions.abort(message + "; skipping");
  }

  static InetSocketAddress require(String what, InetSocketAddress address, @Nullable String ci) {
    String problem = unreachable(address);
    if (problem == null) {
      return address;
    }
    String message =
        what
            + " is not reachable at "
            + address.getHostString()
            + ":"
            + address.getPort()
            + " ("
            + problem
            + ")";
    if ("true".equalsIgnoreCase(ci)) {
      throw new AssertionError(message + "; CI=true, so the test fails instead of skipping");
    }
    return Assumptions.abort(
        message + "; skipping (start it, or set CI=true to make this a failure)");
  }

  private static @Nullable String unreachable(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return null;
    } catch (IOException e) {
      return e.toString();
    }
  }
}
