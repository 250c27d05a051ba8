package dev.plimsoll.ops.spring.testapp;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs {@link TestApplication} in a child JVM: prints {@code READY} on standard error, then waits
 * for a signal, or exits with the status given as {@code --exit-with=N}.
 */
public final class ExitingApplication {

  private ExitingApplication() {}

  public static void main(String[] args) throws InterruptedException {
    ConfigurableApplicationContext context = SpringApplication.run(TestApplication.class, args);
    System.err.println("READY");
    System.err.flush();
    String exitWith = context.getEnvironment().getProperty("exit-with");
    if (exitWith != null) {
      System.exit(SpringApplication.exit(context, () -> Integer.parseInt(exitWith)));
    }
    Thread.currentThread().join();
  }
}
