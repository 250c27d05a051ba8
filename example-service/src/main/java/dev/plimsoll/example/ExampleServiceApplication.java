package dev.plimsoll.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A task board: the Plimsoll starter end to end on Spring Boot. */
@SpringBootApplication
public class ExampleServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(ExampleServiceApplication.class, args);
  }
}
