package dev.plimsoll.ops.logging;

import dev.plimsoll.ops.config.OpsSettings;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.jspecify.annotations.Nullable;

/**
 * Plimsoll's JSON layout: one object per line with the fields of {@link LogFields}, MDC entries
 * (request, trace and span IDs) and key-value pairs as top-level fields. Service name, version and
 * environment are set by the setters or, when left unset, read from {@code OPS_*} settings, so
 * {@code <encoder class="dev.plimsoll.ops.logging.PlimsollJsonEncoder"/>} is enough in a
 * logback.xml.
 */
public class PlimsollJsonEncoder extends LogstashEncoder {

  private static final String IGNORE = "[ignore]";

  private @Nullable String serviceName;
  private @Nullable String serviceVersion;
  private @Nullable String environment;

  /** Creates the encoder with Plimsoll's field names. */
  public PlimsollJsonEncoder() {
    LogstashFieldNames names = getFieldNames();
    names.setTimestamp(LogFields.TIMESTAMP);
    names.setVersion(IGNORE);
    names.setLevelValue(IGNORE);
    names.setLogger(LogFields.LOGGER);
    names.setThread(LogFields.THREAD);
    names.setMessage(LogFields.MESSAGE);
    names.setStackTrace(LogFields.STACK_TRACE);
    setIncludeTags(false); // bridges mark events (COMMONS-LOGGING); not worth a field per line
    setIncludeContext(false);
  }

  /** Sets the {@code service.name} field. */
  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  /** Sets the {@code service.version} field. */
  public void setServiceVersion(String serviceVersion) {
    this.serviceVersion = serviceVersion;
  }

  /** Sets the {@code deployment.environment} field. */
  public void setEnvironment(String environment) {
    this.environment = environment;
  }

  @Override
  public void start() {
    if (serviceName == null || serviceVersion == null || environment == null) {
      OpsSettings settings = LogbackSetup.settingsOrDefaults(this);
      if (serviceName == null) {
        serviceName = settings.serviceName();
      }
      if (serviceVersion == null) {
        String version = settings.serviceVersion();
        serviceVersion = version != null ? version : "unknown";
      }
      if (environment == null) {
        environment = settings.environment();
      }
    }
    setCustomFields(
        "{"
            + field(LogFields.SERVICE_NAME, serviceName)
            + ","
            + field(LogFields.SERVICE_VERSION, serviceVersion)
            + ","
            + field(LogFields.DEPLOYMENT_ENVIRONMENT, environment)
            + "}");
    super.start();
  }

  private static String field(String name, @Nullable String value) {
    return quote(name) + ":" + quote(value == null ? "" : value);
  }

  private static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
