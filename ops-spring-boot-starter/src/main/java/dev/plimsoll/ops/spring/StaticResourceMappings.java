package dev.plimsoll.ops.spring;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Warns once at startup, in one line, when Spring MVC maps static resources but none of their
 * locations exists. Such a service serves no files, yet every request no controller matches is
 * looked up in each location; inside an executable jar that lookup keeps memory for every distinct
 * path, so a path scanner grows the heap without bound. Nothing is changed: the application's own
 * {@code spring.web.resources.*} settings stay in charge.
 */
final class StaticResourceMappings implements SmartInitializingSingleton {

  static final String ADD_MAPPINGS = "spring.web.resources.add-mappings";
  static final String STATIC_LOCATIONS = "spring.web.resources.static-locations";

  /** Spring Boot's default static locations. */
  static final List<String> DEFAULT_LOCATIONS =
      List.of(
          "classpath:/META-INF/resources/",
          "classpath:/resources/",
          "classpath:/static/",
          "classpath:/public/");

  /** Where {@code /webjars/**} is served from whenever the mappings are on. */
  static final String WEBJARS = "classpath:/META-INF/resources/webjars/";

  static final String WARNING =
      "Spring MVC maps static resources ("
          + ADD_MAPPINGS
          + "=true) but none of their locations exists: every unknown path is looked up as a file,"
          + " which inside an executable jar keeps memory for each distinct path (a path scanner"
          + " grows the heap without bound); set "
          + ADD_MAPPINGS
          + "=false if this service serves no static files";

  private static final Logger LOG = LoggerFactory.getLogger(StaticResourceMappings.class);

  private final Environment environment;
  private final ResourceLoader resources;

  StaticResourceMappings(Environment environment, ResourceLoader resources) {
    this.environment = environment;
    this.resources = resources;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (mappedButEmpty()) {
      LOG.warn(WARNING);
    }
  }

  /** Whether the mappings are on and not one of their locations exists. */
  boolean mappedButEmpty() {
    if (!environment.getProperty(ADD_MAPPINGS, Boolean.class, true)) {
      return false;
    }
    List<String> locations =
        new ArrayList<>(
            Binder.get(environment)
                .bind(STATIC_LOCATIONS, Bindable.listOf(String.class))
                .orElse(DEFAULT_LOCATIONS));
    locations.add(WEBJARS);
    for (String location : locations) {
      try {
        if (resources.getResource(location).exists()) {
          return false;
        }
      } catch (RuntimeException unreadable) {
        return false; // a location this check cannot read may hold files: say nothing
      }
    }
    return true;
  }
}
