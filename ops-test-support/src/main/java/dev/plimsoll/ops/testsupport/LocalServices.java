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
