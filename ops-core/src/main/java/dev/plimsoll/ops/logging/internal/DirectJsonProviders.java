package dev.plimsoll.ops.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.plimsoll.ops.logging.LogFields;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.TimeZone;
import java.util.function.BiConsumer;
import net.logstash.logback.abbreviator.DefaultTargetLengthAbbreviator;
import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.composite.JsonProvider;
import net.logstash.logback.composite.LogstashVersionJsonProvider;
import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelValueJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LogstashMarkersJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.fieldnames.LogstashCommonFieldNames;
import net.logstash.logback.marker.LogstashMarker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.UTF8JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * The providers of Plimsoll's JSON encoder, with a direct path for plain events. The direct path
 * writes the fields the providers would write, in their order and through the generator (so with
 * its escaping), without their per-event work: the timestamp is not formatted into a new string
 * (its text up to the seconds is cached per second and the fraction written from the nanoseconds);
 * field names, MDC keys, key-value keys, the logger and thread names, the level and the service
 * fields are copied as bytes Jackson escaped once ({@code Strings}); MDC values are written as
 * strings instead of through a serializer looked up per value; the MDC is read with {@link
 * Map#forEach} (no entry or iterator objects); a double with at most three decimals (the access
 * log's {@code duration_ms}) is written from its digits, the same text as {@link Double#toString};
 * the providers that write nothing for such an event are not called.
 *
 * <p>The direct path is taken only when the providers are exactly Plimsoll's, as {@link
 * dev.plimsoll.ops.logging.PlimsollJsonEncoder} configures them (checked at {@link #start}): the
 * ISO-8601 offset timestamp in a time zone Java knows by its ID, no message splitting, no logger
 * abbreviation, no MDC filters, renames or entry writers, no non-structured arguments, no extra
 * provider (custom fields, caller data, context, tags...). Even then an event with a throwable, a
 * {@link LogstashMarker} among its markers or a {@link StructuredArgument} among its arguments goes
 * through the providers. A provider added or removed after start turns the direct path off.
 *
 * <p>The generator and its buffer are logstash's: one per thread, reused (its {@code
 * ThreadLocalHolder}). The direct path adds a few bytes per thread of its own, in a thread local
 * too (the cached second and the MDC writer): the encoder normally runs on the one asynchronous
 * worker, a thread local costs one lookup and no contention, and logstash already keeps far more
 * per thread. The escaped strings are one bounded table per encoder, shared without locks.
 */
public final class DirectJsonProviders extends LoggingEventJsonProviders {

  private static final String ISO_OFFSET_DATE_TIME = "[ISO_OFFSET_DATE_TIME]";

  private static final SerializedString SERVICE_NAME = new SerializedString(LogFields.SERVICE_NAME);
  private static final SerializedString SERVICE_VERSION =
      new SerializedString(LogFields.SERVICE_VERSION);
  private static final SerializedString ENVIRONMENT =
      new SerializedString(LogFields.DEPLOYMENT_ENVIRONMENT);

  /** Quotes, backslash, control and non-ASCII characters, a surrogate pair and a slash. */
  private static final String PROBE = "a\"b\\c\n\u0001\u007f/é\u2028\uD83D\uDE00";

  private boolean directEnabled = true;
  private @Nullable ObjectMapper mapper;
  private volatile @Nullable Direct direct;

  /**
   * Whether the direct path may be taken (the default); {@code false} leaves every event to the
   * providers, for comparisons. Takes effect at the next {@link #start}.
   */
  public void setDirectEnabled(boolean directEnabled) {
    this.directEnabled = directEnabled;
  }

  /** Whether plain events are written by the direct path: started, and the providers allow it. */
  public boolean isDirect() {
    return direct != null;
  }

  /**
   * Whether {@code event} may take the direct path (when it is on): no throwable, no logstash
   * marker, no structured argument.
   */
  public static boolean isPlain(ILoggingEvent event) {
    return Direct.accepts(event);
  }

  @Override
  public void setObjectMapper(ObjectMapper objectMapper) {
    super.setObjectMapper(objectMapper);
    this.mapper = objectMapper;
  }

  @Override
  public void start() {
    super.start();
    ObjectMapper objectMapper = mapper;
    direct = directEnabled && objectMapper != null ? Direct.of(getProviders(), objectMapper) : null;
  }

  @Override
  public void stop() {
    direct = null;
    super.stop();
  }

  @Override
  public void addProvider(JsonProvider<ILoggingEvent> provider) {
    direct = null;
    super.addProvider(provider);
  }

  @Override
  public void removeProvider(JsonProvider<ILoggingEvent> provider) {
    direct = null;
    super.removeProvider(provider);
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    Direct path = direct;
    if (path != null && Direct.accepts(event)) {
      path.write(generator, event);
    } else {
      super.writeTo(generator, event);
    }
  }

  /** The direct path for one configuration of the providers. */
  private static final class Direct {
    private final SerializedString timestampName;
    private final SerializedString messageName;
    private final SerializedString loggerName;
    private final SerializedString threadName;
    private final SerializedString levelName;
    private final DateTimeFormatter formatter;
    private final ServiceAndPairsJsonProvider serviceAndPairs;
    private final ThreadLocal<PerThread> perThread;
    private final Strings strings;

    private Direct(
        String timestampName,
        String messageName,
        String loggerName,
        String threadName,
        String levelName,
        ZoneId zone,
        ServiceAndPairsJsonProvider serviceAndPairs,
        ObjectMapper mapper) {
      this.timestampName = new SerializedString(timestampName);
      this.messageName = new SerializedString(messageName);
      this.loggerName = new SerializedString(loggerName);
      this.threadName = new SerializedString(threadName);
      this.levelName = new SerializedString(levelName);
      this.formatter = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(zone);
      this.serviceAndPairs = serviceAndPairs;
      this.strings = new Strings(mapper);
      this.perThread = ThreadLocal.withInitial(() -> new PerThread(strings));
    }

    /** The direct path, or {@code null} when the providers are not exactly Plimsoll's. */
    static @Nullable Direct of(List<JsonProvider<ILoggingEvent>> providers, ObjectMapper mapper) {
      if (providers.size() != 12 || !mdcValuesAreStrings(mapper)) {
        return null;
      }
      var timestamp = exactly(providers.get(0), LoggingEventFormattedTimestampJsonProvider.class);
      var version = exactly(providers.get(1), LogstashVersionJsonProvider.class);
      var message = exactly(providers.get(2), MessageJsonProvider.class);
      var logger = exactly(providers.get(3), LoggerNameJsonProvider.class);
      var thread = exactly(providers.get(4), LoggingEventThreadNameJsonProvider.class);
      var level = exactly(providers.get(5), LogLevelJsonProvider.class);
      var levelValue = exactly(providers.get(6), LogLevelValueJsonProvider.class);
      var stackTrace = exactly(providers.get(7), StackTraceJsonProvider.class);
      var mdc = exactly(providers.get(8), MdcJsonProvider.class);
      var markers = exactly(providers.get(9), LogstashMarkersJsonProvider.class);
      var arguments = exactly(providers.get(10), ArgumentsJsonProvider.class);
      var serviceAndPairs = exactly(providers.get(11), ServiceAndPairsJsonProvider.class);
      if (timestamp == null
          || version == null
          || message == null
          || logger == null
          || thread == null
          || level == null
          || levelValue == null
          || stackTrace == null
          || mdc == null
          || markers == null
          || arguments == null
          || serviceAndPairs == null) {
        return null;
      }
      ZoneId zone = knownZone(timestamp.getTimeZone());
      boolean same =
          ISO_OFFSET_DATE_TIME.equals(timestamp.getPattern())
              && zone != null
              && written(timestamp.getFieldName())
              && !written(version.getFieldName())
              && written(message.getFieldName())
              && message.getMessageSplitRegex() == null
              && written(logger.getFieldName())
              && logger.getAbbreviator() instanceof DefaultTargetLengthAbbreviator abbreviator
              && abbreviator.getClass() == DefaultTargetLengthAbbreviator.class
              && (abbreviator.getTargetLength() < 0
                  || abbreviator.getTargetLength() == Integer.MAX_VALUE)
              && written(thread.getFieldName())
              && written(level.getFieldName())
              && !written(levelValue.getFieldName())
              && mdc.getFieldName() == null
              && mdc.getIncludeMdcKeyNames().isEmpty()
              && mdc.getExcludeMdcKeyNames().isEmpty()
              && mdc.getMdcKeyFieldNames().isEmpty()
              && mdc.getMdcEntryWriters().isEmpty()
              && !arguments.isIncludeNonStructuredArguments();
      if (!same) {
        return null;
      }
      Strings check = new Strings(mapper);
      for (String name :
          List.of(
              timestamp.getFieldName(),
              message.getFieldName(),
              logger.getFieldName(),
              thread.getFieldName(),
              level.getFieldName(),
              LogFields.SERVICE_NAME,
              LogFields.SERVICE_VERSION,
              LogFields.DEPLOYMENT_ENVIRONMENT)) {
        if (check.get(name) == null) {
          return null; // a name Jackson would write otherwise than the one we cached
        }
      }
      return new Direct(
          timestamp.getFieldName(),
          message.getFieldName(),
          logger.getFieldName(),
          thread.getFieldName(),
          level.getFieldName(),
          zone,
          serviceAndPairs,
          mapper);
    }

    /** Whether the providers would write nothing for {@code event} but what the path writes. */
    static boolean accepts(ILoggingEvent event) {
      if (event.getThrowableProxy() != null) {
        return false;
      }
      List<Marker> markers = event.getMarkerList();
      if (markers != null) {
        for (Marker marker : markers) {
          if (writesFields(marker)) {
            return false;
          }
        }
      }
      Object[] arguments = event.getArgumentArray();
      if (arguments != null) {
        for (Object argument : arguments) {
          if (argument instanceof StructuredArgument) {
            return false;
          }
        }
      }
      return true;
    }

    void write(JsonGenerator generator, ILoggingEvent event) {
      // Names and recurring values are copied as bytes Jackson escaped once, when the generator is
      // Jackson's own UTF-8 one without custom escapes (logstash's default); else written as text.
      Strings cache = isPlainUtf8(generator) ? strings : null;
      PerThread state = perThread.get();
      state.writeTimestamp(generator, timestampName, event.getInstant(), formatter);
      writeString(generator, messageName, event.getFormattedMessage(), null);
      writeString(generator, loggerName, event.getLoggerName(), cache);
      writeString(generator, threadName, event.getThreadName(), cache);
      writeString(generator, levelName, event.getLevel().toString(), cache);
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null && !mdc.isEmpty()) {
        state.writeMdc(generator, mdc, cache);
      }
      writeString(
          generator,
          SERVICE_NAME,
          ServiceAndPairsJsonProvider.orEmpty(serviceAndPairs.serviceName()),
          cache);
      writeString(
          generator,
          SERVICE_VERSION,
          ServiceAndPairsJsonProvider.orEmpty(serviceAndPairs.serviceVersion()),
          cache);
      writeString(
          generator,
          ENVIRONMENT,
          ServiceAndPairsJsonProvider.orEmpty(serviceAndPairs.environment()),
          cache);
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs instanceof RandomAccess) {
        for (int i = 0, n = pairs.size(); i < n; i++) {
          writePair(generator, pairs.get(i), cache, state);
        }
      } else if (pairs != null) {
        for (KeyValuePair pair : pairs) {
          writePair(generator, pair, cache, state);
        }
      }
    }

    private static void writePair(
        JsonGenerator generator,
        @Nullable KeyValuePair pair,
        @Nullable Strings cache,
        PerThread state) {
      if (pair != null && pair.key != null) {
        writeName(generator, pair.key, cache);
        Object value = pair.value;
        if (value instanceof Double number) {
          state.writeDouble(generator, number);
        } else {
          ServiceAndPairsJsonProvider.writeValue(generator, value);
        }
      }
    }

    private static boolean isPlainUtf8(JsonGenerator generator) {
      return generator.getClass() == UTF8JsonGenerator.class
          && generator.getCharacterEscapes() == null;
    }

    private static void writeString(
        JsonGenerator generator,
        SerializedString name,
        @Nullable String value,
        @Nullable Strings cache) {
      if (value != null) {
        generator.writeName(name);
        SerializedString escaped = cache == null ? null : cache.get(value);
        if (escaped != null) {
          generator.writeString(escaped);
        } else {
          generator.writeString(value);
        }
      }
    }

    static void writeName(JsonGenerator generator, String name, @Nullable Strings cache) {
      SerializedString escaped = cache == null ? null : cache.get(name);
      if (escaped != null) {
        generator.writeName(escaped);
      } else {
        generator.writeName(name);
      }
    }

    private static boolean writesFields(Marker marker) {
      if (marker instanceof LogstashMarker) {
        return true;
      }
      if (marker.hasReferences()) {
        for (Iterator<Marker> references = marker.iterator(); references.hasNext(); ) {
          if (writesFields(references.next())) {
            return true;
          }
        }
      }
      return false;
    }

    private static boolean written(@Nullable String fieldName) {
      return fieldName != null
          && !fieldName.equals(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
    }

    private static <T> @Nullable T exactly(Object provider, Class<T> type) {
      return provider.getClass() == type ? type.cast(provider) : null;
    }

    /** The zone of a time zone ID that Java resolves to that same ID, else {@code null}. */
    private static @Nullable ZoneId knownZone(String id) {
      TimeZone zone = TimeZone.getTimeZone(id);
      return zone.getID().equals(id) ? zone.toZoneId() : null;
    }

    /**
     * Whether the mapper writes a string value as the generator's {@code writeString} does: the MDC
     * provider writes its values through data binding, which a module could in principle change.
     */
    private static boolean mdcValuesAreStrings(ObjectMapper mapper) {
      StringWriter viaMapper = new StringWriter();
      StringWriter straight = new StringWriter();
      try (JsonGenerator generator = mapper.createGenerator(viaMapper)) {
        generator.writeStartObject();
        generator.writePOJOProperty("k", PROBE);
        generator.writeEndObject();
      }
      try (JsonGenerator generator = mapper.createGenerator(straight)) {
        generator.writeStartObject();
        generator.writeName("k");
        generator.writeString(PROBE);
        generator.writeEndObject();
      }
      return viaMapper.toString().equals(straight.toString());
    }
  }

  /**
   * One thread's scratch: the text of the last second's timestamp and a reusable MDC writer. Kept
   * per thread so that nothing is allocated per event and nothing is shared between writers.
   */
  private static final class PerThread implements BiConsumer<String, String> {
    /** {@code 10^7} ms in µs: from there on {@link Double#toString} writes an exponent. */
    private static final long FIXED_MICROS_LIMIT = 10_000_000_000L;

    private final char[] timestamp = new char[64];
    private final char[] digits = new char[24];
    private long second = Long.MIN_VALUE;
    private int secondLength;
    private char[] offset = new char[0];
    private final Strings strings;
    private @Nullable JsonGenerator generator;
    private boolean cached;

    PerThread(Strings strings) {
      this.strings = strings;
    }

    /**
     * Writes the timestamp as logstash's ISO-8601 offset format does: the text up to the seconds,
     * the nanoseconds with their trailing zeros trimmed (none at all when zero), then the offset.
     */
    void writeTimestamp(
        JsonGenerator out, SerializedString name, Instant instant, DateTimeFormatter formatter) {
      long epochSecond = instant.getEpochSecond();
      if (epochSecond != second) {
        // The offset of a zone changes on a whole second, so a second's text is fixed.
        String text = formatter.format(Instant.ofEpochSecond(epochSecond));
        int end = text.indexOf('T') + 9; // THH:mm:ss
        text.getChars(0, end, timestamp, 0);
        secondLength = end;
        offset = text.substring(end).toCharArray();
        second = epochSecond;
      }
      int length = secondLength;
      int nanos = instant.getNano();
      if (nanos > 0) {
        timestamp[length++] = '.';
        for (int i = length + 8; i >= length; i--) {
          timestamp[i] = (char) ('0' + nanos % 10);
          nanos /= 10;
        }
        length += 9;
        while (timestamp[length - 1] == '0') {
          length--;
        }
      }
      System.arraycopy(offset, 0, timestamp, length, offset.length);
      length += offset.length;
      out.writeName(name);
      out.writeString(timestamp, 0, length);
    }

    /**
     * Writes {@code value} as {@code writeNumber(double)} does ({@link Double#toString}); a value
     * with at most three decimals below {@code 10^7} (a duration in milliseconds, as the access log
     * rounds it to the microsecond) is written from its digits, without {@link Double#toString}'s
     * conversion. For such values the text is the same: the shortest decimal that reads back as the
     * value is that one (checked against {@link Double#toString} in {@code
     * PlimsollJsonEncoderDirectPathTest}).
     */
    void writeDouble(JsonGenerator out, double value) {
      long micros = Math.round(value * 1000);
      if (micros < 0
          || micros >= FIXED_MICROS_LIMIT
          || micros / 1000.0 != value
          || Double.doubleToRawLongBits(value) < 0) { // -0.0 is written with its sign
        out.writeNumber(value);
        return;
      }
      int length = fixedMillis(micros, digits);
      out.writeNumber(digits, 0, length);
    }

    /**
     * {@code micros / 1000} as {@link Double#toString} writes it below {@code 10^7}: the integer
     * part, a point, the fraction's digits without trailing zeros, at least one. Returns the
     * length.
     */
    static int fixedMillis(long micros, char[] into) {
      long whole = micros / 1000;
      int fraction = (int) (micros % 1000);
      int width = 1;
      for (long v = whole / 10; v > 0; v /= 10) {
        width++;
      }
      int at = width;
      long rest = whole;
      do {
        into[--at] = (char) ('0' + rest % 10);
        rest /= 10;
      } while (rest > 0);
      int length = width;
      into[length++] = '.';
      if (fraction == 0) {
        into[length++] = '0';
        return length;
      }
      into[length++] = (char) ('0' + fraction / 100);
      into[length++] = (char) ('0' + fraction / 10 % 10);
      into[length++] = (char) ('0' + fraction % 10);
      while (into[length - 1] == '0') {
        length--;
      }
      return length;
    }

    void writeMdc(JsonGenerator out, Map<String, String> mdc, @Nullable Strings cache) {
      generator = out;
      cached = cache != null;
      try {
        mdc.forEach(this);
      } finally {
        generator = null;
      }
    }

    @Override
    public void accept(@Nullable String key, @Nullable String value) {
      JsonGenerator out = generator;
      if (key != null && value != null && out != null) {
        Direct.writeName(out, key, cached ? strings : null);
        out.writeString(value);
      }
    }
  }

  /**
   * Strings as Jackson escapes them, learned once each: a fixed table where the first string of a
   * slot stays, so memory is bounded and names that keep changing cost a lookup, not a learning.
   * Entries are immutable, so threads may share the table without locks.
   */
  private static final class Strings {
    private static final int SIZE = 512;

    private final @Nullable Entry[] table = new Entry[SIZE];
    private final ObjectMapper mapper;

    Strings(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    /**
     * {@code text} pre-escaped, or {@code null} when its slot holds another string or when Jackson
     * writes it otherwise as a serialized string than as text (checked when learned).
     */
    @Nullable SerializedString get(String text) {
      int slot = text.hashCode() & (SIZE - 1);
      Entry entry = table[slot];
      if (entry == null) {
        entry = new Entry(text, sameBytes(text) ? new SerializedString(text) : null);
        table[slot] = entry;
      } else if (entry.text != text && !entry.text.equals(text)) {
        return null;
      }
      return entry.escaped;
    }

    private boolean sameBytes(String text) {
      try {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (JsonGenerator generator = mapper.createGenerator(plain, JsonEncoding.UTF8)) {
          generator.writeStartObject();
          generator.writeName(text);
          generator.writeString(text);
          generator.writeEndObject();
        }
        SerializedString escaped = new SerializedString(text);
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (JsonGenerator generator = mapper.createGenerator(serialized, JsonEncoding.UTF8)) {
          generator.writeStartObject();
          generator.writeName(escaped);
          generator.writeString(escaped);
          generator.writeEndObject();
        }
        return Arrays.equals(plain.toByteArray(), serialized.toByteArray());
      } catch (RuntimeException e) {
        return false; // e.g. a lone surrogate: leave it to the generator each time
      }
    }

    private record Entry(String text, @Nullable SerializedString escaped) {}
  }
}
