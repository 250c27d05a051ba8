package dev.plimsoll.example;

import java.util.Arrays;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A task board: the Plimsoll starter end to end on Spring Boot.
 *
 * <p>With {@value #MIGRATE} as the first argument it only migrates the database (Flyway, with the
 * same {@code spring.flyway.*} and datasource settings as the service) and exits: the command of
 * the migration Job in {@code deploy/components/migration-job}, run with the migration user's
 * credentials while the service runs with {@code SPRING_FLYWAY_ENABLED=false}.
 */
@SpringBootApplication
public class ExampleServiceApplication {

  /** The first argument that selects the migration command. */
  static final String MIGRATE = "migrate";

  public static void main(String[] args) {
    if (args.length > 0 && MIGRATE.equals(args[0])) {
      System.exit(migrate(Arrays.copyOfRange(args, 1, args.length)));
    }
    SpringApplication.run(ExampleServiceApplication.class, args);
  }

  /**
   * Starts the application without a web server, which runs Flyway's migration as the service's
   * startup does, and closes it again; the exit status is 0 once every migration is applied.
   * Migrations on even when the environment turns them off for the service: this is their step.
   */
  static int migrate(String... args) {
    String[] withMigrations =
        Stream.concat(Arrays.stream(args), Stream.of("--spring.flyway.enabled=true"))
            .toArray(String[]::new);
    ConfigurableApplicationContext context;
    try {
      context =
          new SpringApplicationBuilder(ExampleServiceApplication.class)
              .web(WebApplicationType.NONE)
              .run(withMigrations);
    } catch (RuntimeException failed) {
      // Spring has logged why and closed what it had started; the Job must fail, not hang.
      return 1;
    }
    return SpringApplication.exit(context);
  }
}
