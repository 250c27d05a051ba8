package dev.plimsoll.ops.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.plimsoll.ops.config.OpsSettings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.logstash.logback.composite.AbstractJsonProvider;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;
import tools.jackson.core.JsonGenerator;

/**
 * Plimsoll's JSON layout: one object per line with the fields of {@link LogFields}, MDC entries
 * (request, trace and span IDs) and key-value pairs as top-level fields. Service name, version and
 * environment are set by the setters or, when left unset, read from {@code OPS_*} settings, so
 * {@code <encoder class="dev.plimsoll.ops.logging.PlimsollJsonEncoder"/>} is enough in a
 * logback.xml.
 *
 * <p>The service fields and the key-value pairs are written by one provider of its own that writes
 * strings, numbers and booleans straight to the generator (other values go through Jackson's data
 * binding, as before): the access log's hot path never looks up a serializer.
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
    setIncludeKeyValuePairs(false);
    addProvider(new ServiceAndPairs());
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
    super.start();
  }

  /** Writes the service fields, then the event's key-value pairs. */
  private final class ServiceAndPairs extends AbstractJsonProvider<ILoggingEvent> {
    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) {
      generator.writeStringProperty(LogFields.SERVICE_NAME, orEmpty(serviceName));
      generator.writeStringProperty(LogFields.SERVICE_VERSION, orEmpty(serviceVersion));
      generator.writeStringProperty(LogFields.DEPLOYMENT_ENVIRONMENT, orEmpty(environment));
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs == null) {
        return;
      }
      for (KeyValuePair pair : pairs) {
        if (pair != null && pair.key != null) {
          write(generator, pair.key, pair.value);
        }
      }
    }

    private static String orEmpty(@Nullable String value) {
      return value == null ? "" : value;
    }

    private static void write(JsonGenerator generator, String key, @Nullable Object value) {
      if (value == null) {
        generator.writeNullProperty(key);
      } else if (value instanceof String string) {
        generator.writeStringProperty(key, string);
      } else if (value instanceof Integer
          || value instanceof Long
          || value instanceof Short
          || value instanceof Byte) {
        generator.writeNumberProperty(key, ((Number) value).longValue());
      } else if (value instanceof Double number) {
        generator.writeNumberProperty(key, number.doubleValue());
      } else if (value instanceof Float number) {
        generator.writeNumberProperty(key, number.floatValue());
      } else if (value instanceof BigDecimal number) {
        generator.writeNumberProperty(key, number);
      } else if (value instanceof BigInteger number) {
        generator.writeNumberProperty(key, number);
      } else if (value instanceof Boolean bool) {
        generator.writeBooleanProperty(key, bool);
      } else {
        generator.writePOJOProperty(key, value);
      }
    }
  }
}
