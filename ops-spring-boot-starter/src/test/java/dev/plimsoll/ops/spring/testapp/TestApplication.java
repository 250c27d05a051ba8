package dev.plimsoll.ops.spring.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A Spring Boot application with nothing but the starter and one controller. */
@SpringBootApplication
public class TestApplication {

  /** Greets, optionally slowly. */
  @RestController
  static class Greetings {
    @GetMapping("/greet/{name}")
    String greet(@PathVariable String name, @RequestParam(defaultValue = "0") long sleepMs)
        throws InterruptedException {
      Thread.sleep(sleepMs);
      return "hello " + name;
    }
  }
}
