package dev.plimsoll.ops.spring;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Puts Spring Boot's bridge from {@code java.util.logging} to SLF4J back when the JDK removed it in
 * the shutdown.
 *
 * <p>The JDK's {@code LogManager} resets itself in a shutdown hook of its own, which runs beside
 * Spring's at SIGTERM and removes every handler, the bridge included. Whatever a library logs
 * through {@code java.util.logging} after that is dropped without a trace: Tomcat's lines about
 * pausing and stopping its connectors, for one, which come after Plimsoll's drain, seconds later.
 * Spring Boot removes the bridge itself later, when it cleans up logging at the end of the close.
 */
final class JulBridgeAfterReset implements Runnable {

  private final boolean installedAtStart;

  /** Notes whether the bridge is installed now (after Spring Boot has set logging up). */
  JulBridgeAfterReset() {
    this.installedAtStart = SLF4JBridgeHandler.isInstalled();
  }

  /** Installs the bridge again if it was installed at start and is gone now. */
  @Override
  public void run() {
    try {
      if (installedAtStart && !SLF4JBridgeHandler.isInstalled()) {
        SLF4JBridgeHandler.install();
      }
    } catch (RuntimeException e) {
      // Lines through java.util.logging stay lost, as without this step; the shutdown goes on.
    }
  }
}
