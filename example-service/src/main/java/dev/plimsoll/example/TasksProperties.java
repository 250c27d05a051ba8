package dev.plimsoll.example;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service's own settings.
 *
 * @param downstream the service told about each new task
 * @param demo latency and error injection, for exercising dashboards and alerts
 */
@ConfigurationProperties(prefix = "tasks")
public record TasksProperties(Downstream downstream, Demo demo) {

  /** Defaults for missing groups. */
  public TasksProperties {
    downstream = downstream != null ? downstream : new Downstream(null, Duration.ofSeconds(1));
    demo = demo != null ? demo : new Demo(false, Duration.ZERO, 0.0);
  }

  /**
   * The downstream service.
   *
   * @param url its base URL; unset, no call is made and no check registered
   * @param timeout how long a call or a health check of it may take
   */
  public record Downstream(@Nullable URI url, Duration timeout) {
    /** Defaults. */
    public Downstream {
      timeout = timeout != null ? timeout : Duration.ofSeconds(1);
    }
  }

  /**
   * Fault injection on {@code /tasks}, off unless {@code enabled}.
   *
   * @param enabled the one switch; with it off nothing can be made to fail on purpose
   * @param latency added to every request
   * @param errorRate share of requests answered with 500, from 0 to 1
   */
  public record Demo(boolean enabled, Duration latency, double errorRate) {
    /** Defaults and range. */
    public Demo {
      latency = latency != null ? latency : Duration.ZERO;
      if (errorRate < 0 || errorRate > 1) {
        throw new IllegalArgumentException("tasks.demo.error-rate must be from 0 to 1");
      }
    }
  }
}
