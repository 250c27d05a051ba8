package dev.plimsoll.ops.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.plimsoll.ops.logging.LogFields;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.RandomAccess;
import net.logstash.logback.composite.AbstractJsonProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;
import tools.jackson.core.JsonGenerator;

/**
 * Writes the service fields, then the event's key-value pairs as top-level fields: strings, numbers
 * and booleans straight to the generator, other values through Jackson's data binding.
 */
public final class ServiceAndPairsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

  private @Nullable String serviceName;
  private @Nullable String serviceVersion;
  private @Nullable String environment;

  /** The {@code service.name} field, or {@code null} while unset (written as an empty string). */
  public @Nullable String serviceName() {
    return serviceName;
  }

  /** Sets the {@code service.name} field. */
  public void setServiceName(@Nullable String serviceName) {
    this.serviceName = serviceName;
  }

  /** The {@code service.version} field, or {@code null} while unset. */
  public @Nullable String serviceVersion() {
    return serviceVersion;
  }

  /** Sets the {@code service.version} field. */
  public void setServiceVersion(@Nullable String serviceVersion) {
    this.serviceVersion = serviceVersion;
  }

  /** The {@code deployment.environment} field, or {@code null} while unset. */
  public @Nullable String environment() {
    return environment;
  }

  /** Sets the {@code deployment.environment} field. */
  public void setEnvironment(@Nullable String environment) {
    this.environment = environment;
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    generator.writeStringProperty(LogFields.SERVICE_NAME, orEmpty(serviceName));
    generator.writeStringProperty(LogFields.SERVICE_VERSION, orEmpty(serviceVersion));
    generator.writeStringProperty(LogFields.DEPLOYMENT_ENVIRONMENT, orEmpty(environment));
    writePairs(generator, event.getKeyValuePairs());
  }

  private static void writePairs(JsonGenerator generator, @Nullable List<KeyValuePair> pairs) {
    if (pairs == null) {
      return;
    }
    if (pairs instanceof RandomAccess) {
      // The access log's pairs are a RandomAccess list: no iterator per event.
      for (int i = 0, n = pairs.size(); i < n; i++) {
        writePair(generator, pairs.get(i));
      }
    } else {
      for (KeyValuePair pair : pairs) {
        writePair(generator, pair);
      }
    }
  }

  private static void writePair(JsonGenerator generator, @Nullable KeyValuePair pair) {
    if (pair != null && pair.key != null) {
      write(generator, pair.key, pair.value);
    }
  }

  static String orEmpty(@Nullable String value) {
    return value == null ? "" : value;
  }

  /**
   * Writes a pair's value as {@link #writeTo} writes it after the key: the direct path writes the
   * key itself.
   */
  static void writeValue(JsonGenerator generator, @Nullable Object value) {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof String string) {
      generator.writeString(string);
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double number) {
      generator.writeNumber(number.doubleValue());
    } else if (value instanceof Float number) {
      generator.writeNumber(number.floatValue());
    } else if (value instanceof BigDecimal number) {
      generator.writeNumber(number);
    } else if (value instanceof BigInteger number) {
      generator.writeNumber(number);
    } else if (value instanceof Boolean bool) {
      generator.writeBoolean(bool);
    } else {
      generator.writePOJO(value);
    }
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
