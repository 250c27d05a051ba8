package dev.plimsoll.ops.spring.testapp;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs {@link TestApplication} in a child JVM: prints {@code READY} on standard error, then waits
 * for a signal, or exits with the status given as {@code --exit-with=N}. With {@code
 * --slow-hook=MILLIS} it registers a shutdown hook of its own that takes that long, then prints
 * {@code SLOW HOOK DONE}.
 */
public final class ExitingApplication {

  private ExitingApplication() {}

  public static void main(String[] args) throws InterruptedException {
    ConfigurableApplicationContext context = SpringApplication.run(TestApplication.class, args);
    System.err.println("READY");
    System.err.flush();
    String slowHook = context.getEnvironment().getProperty("slow-hook");
    if (slowHook != null) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      Thread.sleep(Long.parseLong(slowHook));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    System.err.println("SLOW HOOK DONE");
                    System.err.flush();
                  }));
    }
    String exitWith = context.getEnvironment().getProperty("exit-with");
    if (exitWith != null) {
      System.exit(SpringApplication.exit(context, () -> Integer.parseInt(exitWith)));
    }
    Thread.currentThread().join();
  }
}
