package dev.plimsoll.ops.spring;

import ch.qos.logback.classic.LoggerContext;
import dev.plimsoll.ops.Plimsoll;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Graceful shutdown in Spring's lifecycle: when the JVM shuts down (SIGTERM), readiness turns down,
 * traffic is served for the drain delay and in-flight requests finish, and only then does Spring's
 * web server graceful shutdown begin; pools and exporters close after it, as beans are destroyed.
 * {@code ops.shutdown.enabled=false} leaves shutdown to Spring alone.
 */
@AutoConfiguration(after = PlimsollAutoConfiguration.class)
@ConditionalOnBean(Plimsoll.class)
@ConditionalOnProperty(prefix = "ops.shutdown", name = "enabled", matchIfMissing = true)
public class PlimsollShutdownAutoConfiguration {

  /** Created by Spring Boot. */
  public PlimsollShutdownAutoConfiguration() {}

  private static final String WEB_SERVER_CONTEXT =
      "org.springframework.boot.web.server.context.WebServerApplicationContext";
  private static final String TOMCAT_WEB_SERVER = "org.springframework.boot.tomcat.TomcatWebServer";

  private static final String JUL_BRIDGE = "org.slf4j.bridge.SLF4JBridgeHandler";

  /**
   * Drains before the web server stops; then puts back the JUL bridge the JDK's shutdown reset
   * removed, and on Tomcat closes the listening sockets, before Spring Boot's graceful shutdown.
   */
  @Bean
  PlimsollDrainLifecycle plimsollDrainLifecycle(Plimsoll plimsoll, ApplicationContext context) {
    Runnable julBridge = julBridgeAfterReset();
    Runnable tomcat = closeTomcatListener(context);
    return new PlimsollDrainLifecycle(
        plimsoll.shutdown(),
        () -> {
          julBridge.run();
          tomcat.run();
        });
  }

  private static Runnable julBridgeAfterReset() {
    if (!ClassUtils.isPresent(
        JUL_BRIDGE, PlimsollShutdownAutoConfiguration.class.getClassLoader())) {
      return () -> {};
    }
    return new JulBridgeAfterReset();
  }

  private static Runnable closeTomcatListener(ApplicationContext context) {
    ClassLoader loader = PlimsollShutdownAutoConfiguration.class.getClassLoader();
    if (!ClassUtils.isPresent(WEB_SERVER_CONTEXT, loader)
        || !ClassUtils.isPresent(TOMCAT_WEB_SERVER, loader)
        || !(context instanceof WebServerApplicationContext web)) {
      return () -> {};
    }
    return () -> TomcatListenerClose.close(web.getWebServer(), TomcatListenerClose.SETTLE);
  }

  /** Readiness says {@code draining} from the moment Spring Boot refuses traffic in a shutdown. */
  @Bean
  DrainOnRefusingTraffic plimsollReadinessDownOnShutdown(Plimsoll plimsoll) {
    return new DrainOnRefusingTraffic(plimsoll.health(), PlimsollDrainLifecycle::jvmShuttingDown);
  }

  /**
   * A SIGTERM that drained cleanly exits with status 0, not 143: the platform asked, the service
   * left as asked. {@code ops.shutdown.exit-zero=false} keeps the JVM's 143.
   */
  @Bean
  @ConditionalOnProperty(prefix = "ops.shutdown", name = "exit-zero", matchIfMissing = true)
  SmartInitializingSingleton plimsollGracefulExit(PlimsollDrainLifecycle drain) {
    // Watching from the end of bean creation rather than from ApplicationReadyEvent: "Started" is
    // logged before that event, and a SIGTERM in between used to exit with 143.
    return () -> {
      GracefulExit.watchSigterm();
      SpringApplication.getShutdownHandlers()
          .add(
              () ->
                  GracefulExit.exitZeroIfClean(
                      drain.drainedCleanly(),
                      () -> {
                        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                          logback.stop();
                        }
                      }));
    };
  }
}
