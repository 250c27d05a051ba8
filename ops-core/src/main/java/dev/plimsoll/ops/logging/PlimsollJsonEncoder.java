package dev.plimsoll.ops.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.plimsoll.ops.config.OpsSettings;
import dev.plimsoll.ops.logging.internal.DirectJsonProviders;
import dev.plimsoll.ops.logging.internal.LogbackSetup;
import dev.plimsoll.ops.logging.internal.ServiceAndPairsJsonProvider;
import java.util.List;
import net.logstash.logback.composite.JsonProvider;
import net.logstash.logback.composite.JsonProviders;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * Plimsoll's JSON layout: one object per line with the fields of {@link LogFields}, MDC entries
 * (request, trace and span IDs) and key-value pairs as top-level fields. Service name, version and
 * environment are set by the setters or, when left unset, read from {@code OPS_*} settings, so
 * {@code <encoder class="dev.plimsoll.ops.logging.PlimsollJsonEncoder"/>} is enough in a
 * logback.xml.
 *
 * <p>Key-value pairs that are strings, numbers or booleans are written straight to the generator;
 * other values go through Jackson's data binding.
 *
 * <p>Plain events, the access log's among them, take a direct path that writes the same bytes as
 * logstash's providers without their per-event work (no timestamp string, names and recurring
 * values escaped once, no serializer lookup per MDC value, no MDC entry objects). The providers
 * write instead: events with a throwable, with a logstash marker ({@code
 * net.logstash.logback.marker.Markers}) or with a structured argument ({@code
 * StructuredArguments}); and every event when the encoder is configured beyond the service fields
 * (custom fields, caller data, tags, context, a timestamp pattern other than the default ISO-8601
 * offset format or an unknown time zone ID, message splitting, logger name shortening, MDC key
 * filters or renames, non-structured arguments, another provider).
 */
public class PlimsollJsonEncoder extends LogstashEncoder {

  private static final String IGNORE = "[ignore]";

  private final ServiceAndPairsJsonProvider serviceAndPairs = new ServiceAndPairsJsonProvider();

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
    setIncludeKeyValuePairs(false);
    addProvider(serviceAndPairs);
    // The formatter takes other providers only while its own list is empty: move them over.
    JsonProviders<ILoggingEvent> logstash = getProviders();
    DirectJsonProviders providers = new DirectJsonProviders();
    for (JsonProvider<ILoggingEvent> provider : List.copyOf(logstash.getProviders())) {
      logstash.removeProvider(provider);
      providers.addProvider(provider);
    }
    getFormatter().setProviders(providers);
  }

  /** Sets the {@code service.name} field. */
  public void setServiceName(String serviceName) {
    serviceAndPairs.setServiceName(serviceName);
  }

  /** Sets the {@code service.version} field. */
  public void setServiceVersion(String serviceVersion) {
    serviceAndPairs.setServiceVersion(serviceVersion);
  }

  /** Sets the {@code deployment.environment} field. */
  public void setEnvironment(String environment) {
    serviceAndPairs.setEnvironment(environment);
  }

  @Override
  public void start() {
    if (serviceAndPairs.serviceName() == null
        || serviceAndPairs.serviceVersion() == null
        || serviceAndPairs.environment() == null) {
      OpsSettings settings = LogbackSetup.settingsOrDefaults(this);
      if (serviceAndPairs.serviceName() == null) {
        serviceAndPairs.setServiceName(settings.serviceName());
      }
      if (serviceAndPairs.serviceVersion() == null) {
        String version = settings.serviceVersion();
        serviceAndPairs.setServiceVersion(version != null ? version : "unknown");
      }
      if (serviceAndPairs.environment() == null) {
        serviceAndPairs.setEnvironment(settings.environment());
      }
    }
    super.start();
  }
}
