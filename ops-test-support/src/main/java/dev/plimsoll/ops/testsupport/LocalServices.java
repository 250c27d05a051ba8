package dev.plimsoll.ops.testsupport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * The real services integration tests use on this machine, and the rule for when one is missing: on
 * CI (environment variable {@code CI} set to {@code true}, {@code 1} or {@code yes}, in any case;
 * {@code .ci/run} sets it) the test fails, elsewhere it is skipped with a message that says what to
 * start.
 */
public final class LocalServices {

  /** Where PostgreSQL listens: database {@code test}, user {@code postgres}, trust auth. */
  public static final InetSocketAddress POSTGRES = new InetSocketAddress("127.0.0.1", 5432);

  private static final int CONNECT_TIMEOUT_MILLIS = 1000;

  private LocalServices() {}

  /**
   * Returns PostgreSQL's address if it accepts a TCP connection.
   *
   * @throws AssertionError if it does not and this runs on CI ({@link #onCi})
   * @throws org.opentest4j.TestAbortedException if it does not elsewhere, which skips the test
   */
  public static InetSocketAddress requirePostgres() {
    return require("PostgreSQL", POSTGRES, System.getenv("CI"));
  }

  /** Whether this runs on CI: {@code CI} is {@code true}, {@code 1} or {@code yes}, in any case. */
  public static boolean onCi() {
    return isTruthy(System.getenv("CI"));
  }

  /**
   * Fails on CI, skips elsewhere: for a test that cannot run because what {@code message} names is
   * missing.
   *
   * @throws AssertionError on CI
   * @throws org.opentest4j.TestAbortedException elsewhere, which skips the test
   */
  public static <T> T missing(String message) {
    return missing(message, System.getenv("CI"));
  }

  static boolean isTruthy(@Nullable String ci) {
    if (ci == null) {
      return false;
    }
    String value = ci.strip().toLowerCase(java.util.Locale.ROOT);
    return value.equals("true") || value.equals("1") || value.equals("yes");
  }

  private static <T> T missing(String message, @Nullable String ci) {
    if (isTruthy(ci)) {
      throw new AssertionError(message + "; CI=" + ci + ", so the test fails instead of skipping");
    }
    return skip(
        message + "; skipping (install or start it, or set CI=true to make this a failure)");
  }

  /**
   * Returns the absolute path of an executable of Debian's {@code prometheus} package on the {@code
   * PATH}, such as {@code promtool}.
   *
   * @throws AssertionError if there is none and this runs on CI ({@link #onCi})
   * @throws org.opentest4j.TestAbortedException if there is none elsewhere, which skips the test
   */
  public static java.nio.file.Path requireExecutable(String name) {
    return requireExecutable(name, "Debian: apt-get install -y prometheus");
  }

  /**
   * Returns the absolute path of an executable on the {@code PATH} or in {@code /usr/sbin} (where
   * Debian puts daemons, off an ordinary user's {@code PATH}); {@code install} says how to install
   * it, for the message when it is missing.
   *
   * @throws AssertionError if there is none and {@code CI=true}
   * @throws org.opentest4j.TestAbortedException if there is none elsewhere, which skips the test
   */
  public static java.nio.file.Path requireExecutable(String name, String install) {
    String path = System.getenv("PATH");
    String dirs = (path == null ? "" : path + java.io.File.pathSeparator) + "/usr/sbin";
    for (String dir : dirs.split(java.io.File.pathSeparator)) {
      java.nio.file.Path candidate = java.nio.file.Path.of(dir, name);
      if (java.nio.file.Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return missing(name + " is neither on the PATH nor in /usr/sbin (" + install + ")");
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
    return missing(message, ci);
  }

  /**
   * Skips the calling test, saying why on the build's console: Surefire sends a test's own output
   * to a file and shows only a skip count, so the reason is written to the JVM's native standard
   * error, which the forked JVM's console passes through.
   *
   * @throws org.opentest4j.TestAbortedException always, which skips the test
   */
  public static <T> T skip(String reason) {
    PrintStream console =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    console.println("[WARNING] Skipped: " + reason);
    return Assumptions.abort(reason);
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
