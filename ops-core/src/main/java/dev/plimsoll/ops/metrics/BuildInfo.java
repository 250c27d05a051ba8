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
import java.util.regex.Pattern;
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

  /** Characters taken from a revision to tell two builds of one snapshot apart. */
  static final int REVISION_PREFIX = 12;

  private static final Pattern PLAIN_REVISION = Pattern.compile("[0-9A-Za-z._]+");

  /**
   * Takes the given values, falling back to the manifest of the jar that holds {@code
   * applicationClass} ({@code Implementation-Version} and {@code SCM-Revision}), then to {@link
   * #UNKNOWN}. A {@code -SNAPSHOT} version read from the manifest gets the first characters of the
   * revision appended ({@code 1.2.0-SNAPSHOT-3f2a9c1e4b7d}), so that every build of a snapshot is a
   * version of its own on dashboards, alerts and canary gates; a version given explicitly is kept
   * as it is.
   */
  public static BuildInfo resolve(
      @Nullable String version, @Nullable String revision, @Nullable Class<?> applicationClass) {
    Attributes manifest = applicationClass == null ? null : manifestOf(applicationClass);
    String r = revision != null ? revision : attribute(manifest, REVISION_ATTRIBUTE);
    String v = version;
    if (v == null) {
      String built = attribute(manifest, Attributes.Name.IMPLEMENTATION_VERSION.toString());
      if (UNKNOWN.equals(built) && applicationClass != null) {
        built = packageVersion(applicationClass);
      }
      v = buildVersion(built, r);
    }
    return new BuildInfo(v, r, System.getProperty("java.version", UNKNOWN));
  }

  /**
   * The version a build reports: {@code version}, with the revision's first {@value
   * #REVISION_PREFIX} characters appended when it is a snapshot built from a known revision.
   */
  static String buildVersion(String version, String revision) {
    if (version.endsWith("-SNAPSHOT")
        && !UNKNOWN.equals(revision)
        && PLAIN_REVISION.matcher(revision).matches()) {
      return version + "-" + revision.substring(0, Math.min(REVISION_PREFIX, revision.length()));
    }
    return version;
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

  private static String packageVersion(Class<?> type) {
    // Class loaders that define packages from a manifest of their own (Spring Boot's launcher for
    // BOOT-INF/classes) know the version even where the class's URL gives no manifest.
    Package pkg = type.getPackage();
    String version = pkg == null ? null : pkg.getImplementationVersion();
    return version == null || version.isBlank() ? UNKNOWN : version.trim();
  }

  private static @Nullable Attributes manifestOf(Class<?> type) {
    // By its binary name: a nested class's simple name would load its enclosing class, which the
    // class's own loader need not see.
    URL classFile = type.getResource("/" + type.getName().replace('.', '/') + ".class");
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
