package dev.plimsoll.ops.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.logging.internal.LogbackSetup;

/**
 * Found by logback through {@link java.util.ServiceLoader}: configures Plimsoll's logging when the
 * application has no logback.xml or logback-test.xml of its own (those are ranked higher and win).
 */
@ConfiguratorRank(-5)
public final class PlimsollLogbackConfigurator extends ContextAwareBase implements Configurator {

  /** Called by logback's {@link java.util.ServiceLoader}. */
  public PlimsollLogbackConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    OpsSettings settings = LogbackSetup.settingsOrDefaults(this);
    String version = settings.serviceVersion();
    LogbackSetup.configure(context, settings, version != null ? version : "unknown");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
