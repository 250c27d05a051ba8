package dev.plimsoll.ops.health.internal;

import dev.plimsoll.ops.config.Redaction;
import java.io.Writer;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Writes the health endpoints' JSON with jackson-core, escaped as the body has always been: {@code
 * /} left alone, control characters other than {@code \n}, {@code \r} and {@code \t} as lower-case
 * hexadecimal escapes, and the JavaScript line separators U+2028 and U+2029 escaped too. Not API.
 */
public final class HealthJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .characterEscapes(new BodyEscapes())
          .build();

  private HealthJson() {}

  /** A generator writing to {@code out}; closing it flushes it. */
  public static JsonGenerator generator(Writer out) {
    return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
  }

  /**
   * Writes {@code map} as an object, in its own order: numbers, booleans and {@code null} as such,
   * maps (sorted by key) and iterables nested, anything else as a redacted string.
   */
  public static void object(JsonGenerator json, Map<String, ?> map) {
    json.writeStartObject();
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      json.writeName(entry.getKey());
      value(json, entry.getValue());
    }
    json.writeEndObject();
  }

  private static void value(JsonGenerator json, @Nullable Object value) {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Boolean bool) {
      json.writeBoolean(bool);
    } else if (value instanceof Integer number) {
      json.writeNumber(number);
    } else if (value instanceof Long number) {
      json.writeNumber(number);
    } else if (value instanceof Short number) {
      json.writeNumber(number);
    } else if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
      json.writeNumber(number.doubleValue());
    } else if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      object(json, sorted);
    } else if (value instanceof Iterable<?> items) {
      json.writeStartArray();
      for (Object item : items) {
        value(json, item);
      }
      json.writeEndArray();
    } else {
      json.writeString(Redaction.url(String.valueOf(value)));
    }
  }

  /** JSON's own escapes, with backspace and form feed in hexadecimal, and U+2028/9 escaped. */
  private static final class BodyEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

    private final int[] ascii = standardAsciiEscapesForJSON();

    BodyEscapes() {
      ascii['\b'] = ESCAPE_STANDARD;
      ascii['\f'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int ch) {
      return ch == 0x2028 ? LINE_SEPARATOR : ch == 0x2029 ? PARAGRAPH_SEPARATOR : null;
    }
  }
}
