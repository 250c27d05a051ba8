package dev.plimsoll.ops.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.jspecify.annotations.Nullable;

/**
 * What was built and what runs it, published as the gauge {@code ops_build_info} (always 1) so
 * dashboards can mark deployments and compare versions.
 *
 * @param serviceVersion the service's version, or {@link #UNKNOWN}
 * @param vcsRevision the VCS revision it was built from, or {@link #UNKNOWN}
 * @param javaVersion the Java runtime version
 */
public record BuildInfo(String serviceVersion, String vcsRevision, String javaVersion)
    implements MeterBinder {

  /** The value of a field that could not be found. */
  public static final String UNKNOWN = "unknown";

  /** Manifest attribute read for the VCS revision. */
  public static final String REVISION_ATTRIBUTE = "SCM-Revision";

  /** Checks every field is present. */
  public BuildInfo {
    requireNonNull(serviceVersion, "serviceVersion");
    requireNonNull(vcsRevision, "vcsRevision");
    requireNonNull(javaVersion, "javaVersion");
  }

  /**
   * Takes the given values, falling back to the manifest of the jar that holds {@code
   * applicationClass} ({@code Implementation-Version} and {@code SCM-Revision}), then to {@link
   * #UNKNOWN}.
   */
  public static BuildInfo resolve(
      @Nullable String version, @Nullable String revision, @Nullable Class<?> applicationClass) {
    Attributes manifest = applicationClass == null ? null : manifestOf(applicationClass);
    String v =
        version != null
            ? version
            : attribute(manifest, Attributes.Name.IMPLEMENTATION_VERSION.toString());
    String r = revision != null ? revision : attribute(manifest, REVISION_ATTRIBUTE);
    return new BuildInfo(v, r, System.getProperty("java.version", UNKNOWN));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(MetricNames.BUILD_INFO, () -> 1)
        .description("Build information; always 1.")
        .tag(MetricNames.VCS_REVISION, vcsRevision)
        .tag(MetricNames.JAVA_VERSION, javaVersion)
        .register(registry);
  }

  private static String attribute(@Nullable Attributes manifest, String name) {
    String value = manifest == null ? null : manifest.getValue(name);
    return value == null || value.isBlank() ? UNKNOWN : value.trim();
  }

  private static @Nullable Attributes manifestOf(Class<?> type) {
    URL classFile = type.getResource(type.getSimpleName() + ".class");
    if (classFile == null) {
      return null;
    }
    try {
      URLConnection connection = classFile.openConnection();
      if (connection instanceof JarURLConnection jar) {
        jar.setUseCaches(false);
        Manifest manifest = jar.getManifest();
        return manifest == null ? null : manifest.getMainAttributes();
      }
      try (InputStream ignored = connection.getInputStream()) {
        return null; // an exploded directory has no manifest of its own
      }
    } catch (IOException e) {
      return null;
    }
  }
}
