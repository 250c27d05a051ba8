package dev.plimsoll.ops.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.plimsoll.ops.http.internal.RequestFacts;
import dev.plimsoll.ops.logging.internal.AccessLog;
import dev.plimsoll.ops.logging.internal.DirectJsonProviders;
import dev.plimsoll.ops.logging.internal.LogCorrelation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import net.logstash.logback.argument.StructuredArguments;
import net.logstash.logback.marker.Markers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The encoder's direct path writes byte for byte what logstash's providers write for the same
 * event: the same encoder, once with the direct path and once without, over generated events.
 */
class PlimsollJsonEncoderDirectPathTest {

  private static final LoggerContext CONTEXT = (LoggerContext) LoggerFactory.getILoggerFactory();

  /** Characters JSON escaping cares about, non-ASCII ones and a surrogate pair. */
  private static final String[] PIECES = {
    "a",
    "Z",
    "0",
    " ",
    "\"",
    "\\",
    "/",
    "\n",
    "\r",
    "\t",
    "\b",
    "\f",
    "\u0000",
    "\u0001",
    "\u001f",
    "\u007f",
    "\u0080",
    "é",
    "ß",
    "中文",
    "\u2028",
    "\u2029",
    "\uD83D\uDE00",
    "\uDBFF\uDFFF",
    "{}",
    "<script>",
    "'",
    "%s",
    "${x}",
    "\uFEFF",
    "\uFFFF"
  };

  private static final String[] ZONES = {
    "UTC", "Europe/Amsterdam", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "GMT+14:00"
  };

  private static final Throwable FAILURE =
      new IllegalStateException("bo\"om\né", new RuntimeException("cause"));

  private static final Level[] LEVELS = {
    Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR
  };

  @Test
  void generatedEventsAreWrittenByteForByteAsTheProvidersWriteThem() {
    Random random = new Random(16);
    int direct = 0;
    int total = 0;
    for (String zone : ZONES) {
      Encoders encoders = Encoders.create(encoder -> encoder.setTimeZone(zone));
      try {
        for (int i = 0; i < 3_000; i++) {
          LoggingEvent event = randomEvent(random);
          encoders.assertSameBytes(event);
          direct += DirectJsonProviders.isPlain(event) ? 1 : 0;
          total++;
        }
      } finally {
        encoders.stop();
      }
    }
    // Most generated events take the direct path; the rest prove the fallback keeps the bytes.
    assertThat(direct).isGreaterThan(total / 2).isLessThan(total);
  }

  @Test
  void durationsInMillisecondsAreWrittenAsDoubleToStringWritesThem() {
    // The direct path writes a double with at most three decimals below 10^7 from its digits; the
    // providers write Double.toString. Every magnitude and fraction shape, and the edges around.
    Encoders encoders = Encoders.create(encoder -> {});
    Random random = new Random(5);
    try {
      List<Double> values = new ArrayList<>();
      for (double edge :
          new double[] {
            0.0,
            -0.0,
            0.001,
            0.01,
            0.1,
            0.5,
            1.0,
            1.5,
            9.999,
            10.0,
            100.25,
            1234.5,
            9_999_999.999,
            1e7,
            1e7 + 0.001,
            12_345_678.901,
            0.0005,
            0.0015,
            1.0005,
            -1.5,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            Double.NaN,
            Double.NEGATIVE_INFINITY
          }) {
        values.add(edge);
      }
      for (int i = 0; i < 20_000; i++) {
        long micros = random.nextLong(1L << (1 + random.nextInt(40)));
        values.add(micros / 1000.0);
        values.add(Math.round(random.nextDouble() * micros) / 1000.0);
        values.add(micros / 1000.0 + 1e-9);
      }
      for (int i = 0; i < values.size(); i += 8) {
        LoggingEvent event = event(Level.INFO, "durations");
        for (int j = i; j < Math.min(i + 8, values.size()); j++) {
          event.addKeyValuePair(new KeyValuePair(LogFields.DURATION_MS, values.get(j)));
        }
        assertThat(DirectJsonProviders.isPlain(event)).isTrue();
        encoders.assertSameBytes(event);
      }
      assertThat(encoders.assertSameBytes(withDuration(1.235))).contains("\"duration_ms\":1.235,");
      assertThat(encoders.assertSameBytes(withDuration(2.0))).contains("\"duration_ms\":2.0,");
      assertThat(encoders.assertSameBytes(withDuration(1e7))).contains("\"duration_ms\":1.0E7,");
    } finally {
      encoders.stop();
    }
  }

  private static LoggingEvent withDuration(double millis) {
    LoggingEvent event = event(Level.INFO, "one duration");
    event.addKeyValuePair(new KeyValuePair(LogFields.DURATION_MS, millis));
    event.addKeyValuePair(new KeyValuePair("after", 1));
    return event;
  }

  @Test
  void theDefaultTimeZoneAndTimestampsAroundSecondsAndOffsetChangesMatch() {
    Encoders encoders = Encoders.create(encoder -> {});
    Random random = new Random(7);
    try {
      List<Instant> instants = new ArrayList<>();
      ZoneId paris = ZoneId.of("Europe/Paris");
      Instant transition =
          paris.getRules().nextTransition(Instant.parse("2026-01-01T00:00:00Z")).getInstant();
      for (long second : new long[] {-1, 0, 1, 59, 60, 3599, 3600, 1_798_761_599L}) {
        for (int nanos : new int[] {0, 1, 10, 999_999_999, 100_000_000, 120_000_000, 123_456_000}) {
          instants.add(Instant.ofEpochSecond(second, nanos));
          instants.add(transition.plusSeconds(second % 7200).plusNanos(nanos));
        }
      }
      for (Instant instant : instants) {
        LoggingEvent event = randomEvent(random);
        event.setInstant(instant);
        encoders.assertSameBytes(event);
      }
      Encoders paris2 = Encoders.create(encoder -> encoder.setTimeZone("Europe/Paris"));
      try {
        for (Instant instant : instants) {
          LoggingEvent event = randomEvent(random);
          event.setInstant(instant);
          paris2.assertSameBytes(event);
        }
      } finally {
        paris2.stop();
      }
    } finally {
      encoders.stop();
    }
  }

  @Test
  void theAccessLogsOwnEventIsWrittenByteForByteAsTheProvidersWriteIt() {
    Encoders encoders = Encoders.create(encoder -> {});
    Logger accessLogger = CONTEXT.getLogger(LogFields.ACCESS_LOGGER);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.setContext(CONTEXT);
    events.start();
    accessLogger.addAppender(events);
    LogCorrelation correlation = new LogCorrelation("trace_id", "span_id");
    AccessLog accessLog = new AccessLog(true);
    try {
      correlation.put(
          "3f2a9c1e7b4d4e8a9f102c6d8e4b1a77",
          "4bf92f3577b34da6a3ce929d0e0e4736",
          "00f067aa0ba902b7");
      accessLog.log(
          RequestFacts.of("GET", "http", "/orders/1", "localhost", 8080, "10.0.0.1", "curl/8"),
          "/orders/{id}",
          200,
          1_234_567);
      correlation.clear();
      accessLog.log(
          RequestFacts.of("POST", "https", "/a\"b/ü", "h", 443, "::1", null), "/a\"b/{x}", 503, 7);
      assertThat(events.list).hasSize(2);
      for (ILoggingEvent event : events.list) {
        assertThat(DirectJsonProviders.isPlain(event)).isTrue();
        String line = encoders.assertSameBytes(event);
        assertThat(line).contains("\"http.route\":");
      }
      assertThat(new String(encoders.direct.encode(events.list.get(0)), UTF_8))
          .contains("\"request_id\":\"3f2a9c1e7b4d4e8a9f102c6d8e4b1a77\"")
          .endsWith("\"user_agent.original\":\"curl/8\"}" + System.lineSeparator());
    } finally {
      accessLogger.detachAppender(events);
      encoders.stop();
    }
  }

  @Test
  void eventsFromManyThreadsAtOnceGetTheirOwnBytes() throws Exception {
    Encoders encoders = Encoders.create(encoder -> encoder.setTimeZone("Asia/Kathmandu"));
    Random random = new Random(3);
    List<LoggingEvent> events = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      LoggingEvent event = randomEvent(random);
      events.add(event);
      expected.add(new String(encoders.providers.encode(event), UTF_8));
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            threads.submit(
                () -> {
                  List<String> lines = new ArrayList<>();
                  for (LoggingEvent event : events) {
                    lines.add(new String(encoders.direct.encode(event), UTF_8));
                  }
                  return lines;
                }));
      }
      for (Future<List<String>> result : results) {
        assertThat(result.get()).containsExactlyElementsOf(expected);
      }
    } finally {
      threads.shutdownNow();
      encoders.stop();
    }
  }

  @Test
  void aLoneSurrogateFailsOrPassesAsItDoesThroughTheProviders() {
    Encoders encoders = Encoders.create(encoder -> {});
    try {
      for (String text : new String[] {"a\uD83Db", "\uDE00", "x\uD83D", "\uDE00\uD83D"}) {
        LoggingEvent inMessage = event(Level.INFO, text);
        encoders.assertSameOutcome(inMessage);
        LoggingEvent inMdc = event(Level.INFO, "m");
        inMdc.setMDCPropertyMap(Map.of(LogFields.REQUEST_ID, text));
        encoders.assertSameOutcome(inMdc);
      }
    } finally {
      encoders.stop();
    }
  }

  @Test
  void theDirectPathIsOffWhenTheEncoderIsConfiguredBeyondPlimsollsFields() {
    List<Consumer<PlimsollJsonEncoder>> settings =
        List.of(
            encoder -> encoder.setCustomFields("{\"team\":\"orders\"}"),
            encoder -> encoder.setIncludeCallerData(true),
            encoder -> encoder.setIncludeContext(true),
            encoder -> encoder.setIncludeTags(true),
            encoder -> encoder.setIncludeKeyValuePairs(true),
            encoder -> encoder.setIncludeMdc(false),
            encoder -> encoder.setShortenedLoggerNameLength(10),
            encoder -> encoder.setTimestampPattern("yyyy-MM-dd HH:mm:ss.SSS"),
            encoder -> encoder.setTimestampPattern("[ISO_INSTANT]"),
            encoder -> encoder.setMessageSplitRegex("\\n"),
            encoder -> encoder.addExcludeMdcKeyName(LogFields.REQUEST_ID),
            encoder -> encoder.addMdcKeyFieldName("request_id=rid"),
            encoder -> encoder.setIncludeNonStructuredArguments(true),
            encoder -> encoder.getFieldNames().setVersion("@version"),
            encoder -> encoder.getFieldNames().setMdc("mdc"),
            encoder ->
                encoder.addProvider(
                    new net.logstash.logback.composite.loggingevent.SequenceJsonProvider()));
    Random random = new Random(11);
    for (Consumer<PlimsollJsonEncoder> setting : settings) {
      Encoders encoders = Encoders.create(setting);
      try {
        assertThat(encoders.directProviders().isDirect()).isFalse();
        for (int i = 0; i < 20; i++) {
          LoggingEvent event = randomEvent(random);
          event.setCallerData(new StackTraceElement[] {new StackTraceElement("C", "m", "F", 1)});
          encoders.assertSameOutcome(event);
        }
      } finally {
        encoders.stop();
      }
    }
    Encoders plain = Encoders.create(encoder -> encoder.setTimeZone("Europe/Paris"));
    try {
      assertThat(plain.directProviders().isDirect()).isTrue();
      assertThat(plain.providersOnly().isDirect()).isFalse();
    } finally {
      plain.stop();
    }
  }

  @Test
  void aProviderAddedAfterStartTurnsTheDirectPathOff() {
    PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
    encoder.setContext(CONTEXT);
    encoder.start();
    DirectJsonProviders providers = (DirectJsonProviders) encoder.getProviders();
    assertThat(providers.isDirect()).isTrue();
    encoder.addProvider(new net.logstash.logback.composite.loggingevent.ContextNameJsonProvider());
    assertThat(providers.isDirect()).isFalse();
    encoder.stop();
  }

  /** Two encoders configured alike: one with the direct path, one with the providers only. */
  private static final class Encoders {
    final PlimsollJsonEncoder direct;
    final PlimsollJsonEncoder providers;

    private Encoders(PlimsollJsonEncoder direct, PlimsollJsonEncoder providers) {
      this.direct = direct;
      this.providers = providers;
    }

    static Encoders create(Consumer<PlimsollJsonEncoder> setting) {
      PlimsollJsonEncoder direct = encoder(setting);
      PlimsollJsonEncoder providers = encoder(setting);
      ((DirectJsonProviders) providers.getProviders()).setDirectEnabled(false);
      direct.start();
      providers.start();
      return new Encoders(direct, providers);
    }

    private static PlimsollJsonEncoder encoder(Consumer<PlimsollJsonEncoder> setting) {
      PlimsollJsonEncoder encoder = new PlimsollJsonEncoder();
      encoder.setContext(CONTEXT);
      encoder.setServiceName("or\"ders/\u00e9");
      encoder.setServiceVersion("2.0\n");
      encoder.setEnvironment("staging");
      setting.accept(encoder);
      return encoder;
    }

    DirectJsonProviders directProviders() {
      return (DirectJsonProviders) direct.getProviders();
    }

    DirectJsonProviders providersOnly() {
      return (DirectJsonProviders) providers.getProviders();
    }

    /** Encodes {@code event} both ways, asserts the same bytes, and returns the line. */
    String assertSameBytes(ILoggingEvent event) {
      byte[] expected = providers.encode(event);
      byte[] actual = direct.encode(event);
      String line = new String(expected, UTF_8);
      assertThat(new String(actual, UTF_8)).isEqualTo(line);
      assertThat(actual).isEqualTo(expected);
      assertThat(expected.length).isGreaterThan(2);
      return line;
    }

    void assertSameOutcome(ILoggingEvent event) {
      Object expected = outcome(providers, event);
      Object actual = outcome(direct, event);
      if (expected instanceof byte[] bytes) {
        assertThat(actual).isInstanceOf(byte[].class);
        assertThat((byte[]) actual).isEqualTo(bytes);
      } else {
        assertThat(actual).isEqualTo(expected);
      }
    }

    private static Object outcome(PlimsollJsonEncoder encoder, ILoggingEvent event) {
      try {
        return encoder.encode(event);
      } catch (RuntimeException e) {
        return e.getClass();
      }
    }

    void stop() {
      direct.stop();
      providers.stop();
    }
  }

  private static LoggingEvent event(Level level, String message) {
    Logger logger = CONTEXT.getLogger("test.direct");
    LoggingEvent event =
        new LoggingEvent(Logger.class.getName(), logger, level, message, null, null);
    event.setInstant(Instant.ofEpochSecond(1_798_761_600L, 123_456_000));
    return event;
  }

  private static LoggingEvent randomEvent(Random random) {
    String loggerName =
        pick(
            random,
            LogFields.ACCESS_LOGGER,
            "com.example.Orders",
            "a\"b\\c",
            "ü.ß.中",
            "x\u0000y",
            "\uD83D\uDE00.emoji",
            "",
            "org.springframework.web.servlet.DispatcherServlet");
    Logger logger = CONTEXT.getLogger(loggerName.isEmpty() ? "empty" : loggerName);
    Level level = LEVELS[random.nextInt(LEVELS.length)];
    Throwable throwable = random.nextInt(20) == 0 ? FAILURE : null;
    Object[] arguments = null;
    String message = text(random, random.nextInt(10) == 0 ? 5_000 : 120);
    int shape = random.nextInt(10);
    if (shape == 0) {
      message = "{} said {} and {}";
      arguments = new Object[] {text(random, 10), random.nextInt(), null};
    } else if (shape == 1) {
      message = "{} {}";
      arguments = new Object[] {"GET", StructuredArguments.kv("order.id", random.nextInt(100))};
    } else if (shape == 2) {
      message = null;
    }
    LoggingEvent event =
        new LoggingEvent(Logger.class.getName(), logger, level, message, throwable, arguments);
    event.setInstant(randomInstant(random));
    if (random.nextInt(8) != 0) {
      event.setThreadName(
          pick(random, "main", "http-nio-8080-exec-1", "a\"b", "th\tread ü", "\uD83D\uDE00", ""));
    }
    event.setMDCPropertyMap(randomMdc(random));
    int pairs = random.nextInt(9);
    for (int i = 0; i < pairs; i++) {
      event.addKeyValuePair(randomPair(random));
    }
    if (random.nextInt(6) == 0) {
      LinkedList<KeyValuePair> linked =
          new LinkedList<>(event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs());
      event.setKeyValuePairs(linked);
    }
    int marker = random.nextInt(12);
    if (marker == 0) {
      event.addMarker(MarkerFactory.getDetachedMarker("COMMONS-LOGGING"));
    } else if (marker == 1) {
      Marker parent = MarkerFactory.getDetachedMarker("PARENT");
      parent.add(MarkerFactory.getDetachedMarker("CHILD"));
      event.addMarker(parent);
    } else if (marker == 2) {
      event.addMarker(Markers.append("marked", text(random, 8)));
    } else if (marker == 3) {
      Marker parent = MarkerFactory.getDetachedMarker("PARENT");
      parent.add(Markers.append("nested", 1));
      event.addMarker(parent);
    }
    return event;
  }

  private static Instant randomInstant(Random random) {
    long second =
        switch (random.nextInt(4)) {
          case 0 ->
              Instant.parse("1890-01-01T00:00:00Z").getEpochSecond()
                  + random.nextInt(Integer.MAX_VALUE);
          case 1 -> 1_798_761_600L + random.nextInt(86_400 * 366);
          case 2 -> random.nextInt(120) - 60;
          default ->
              Instant.parse("2100-01-01T00:00:00Z").getEpochSecond()
                  + random.nextInt(Integer.MAX_VALUE);
        };
    int nanos =
        switch (random.nextInt(5)) {
          case 0 -> 0;
          case 1 -> random.nextInt(1_000) * 1_000_000;
          case 2 -> random.nextInt(1_000_000) * 1_000;
          case 3 -> random.nextInt(10) * 100_000_000;
          default -> random.nextInt(1_000_000_000);
        };
    return Instant.ofEpochSecond(second, nanos);
  }

  private static @Nullable Map<String, String> randomMdc(Random random) {
    Map<String, String> entries = new LinkedHashMap<>();
    if (random.nextBoolean()) {
      entries.put(LogFields.REQUEST_ID, hex(random, 32));
      entries.put("trace_id", hex(random, 32));
      entries.put("span_id", hex(random, 16));
    }
    int extra = random.nextInt(3);
    for (int i = 0; i < extra; i++) {
      entries.put(text(random, 10), text(random, 30));
    }
    Map<String, String> map =
        switch (random.nextInt(7)) {
          case 0 -> null;
          case 1 -> Map.of();
          case 2 -> new HashMap<>(entries);
          case 3 -> Collections.unmodifiableMap(new HashMap<>(entries));
          case 4 -> entries;
          case 5 -> Map.copyOf(entries);
          default -> new TreeMap<>(entries);
        };
    if (map instanceof HashMap<String, String> hash && random.nextInt(4) == 0) {
      hash.put("nothing", null);
      hash.put(null, "no key");
    }
    return map;
  }

  private static KeyValuePair randomPair(Random random) {
    String key =
        random.nextInt(30) == 0 ? null : pick(random, "order.id", "a\"b", "ü", text(random, 6));
    Object value =
        switch (random.nextInt(18)) {
          case 0 -> null;
          case 1 -> text(random, 40);
          case 2 -> random.nextInt();
          case 3 -> random.nextLong();
          case 4 -> (short) random.nextInt();
          case 5 -> (byte) random.nextInt();
          case 6 ->
              pick(
                  random,
                  1.235,
                  -0.0,
                  1e-7,
                  1e21,
                  Double.NaN,
                  Double.POSITIVE_INFINITY,
                  random.nextDouble(),
                  random.nextInt(2_000_000_000) / 1000.0,
                  -random.nextInt(1_000_000) / 1000.0,
                  random.nextLong(20_000_000_000L) / 1000.0);
          case 7 ->
              pick(random, 0.1f, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, random.nextFloat());
          case 8 -> new BigDecimal("1.50");
          case 9 -> new BigDecimal(random.nextLong()).scaleByPowerOfTen(-random.nextInt(30));
          case 10 -> new BigInteger(100, random);
          case 11 -> random.nextBoolean();
          case 12 -> new Pojo(text(random, 8), random.nextInt(100), List.of(1, 2));
          case 13 -> List.of(text(random, 4), 2, true);
          case 14 -> Map.of("k", text(random, 4));
          case 15 -> 'c';
          case 16 -> Instant.ofEpochSecond(random.nextInt());
          default -> new int[] {1, 2, 3};
        };
    if (random.nextInt(40) == 0) {
      return null;
    }
    return new KeyValuePair(key, value);
  }

  /** A POJO value for data binding. */
  public record Pojo(String name, int count, List<Integer> items) {}

  private static String text(Random random, int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder text = new StringBuilder(length);
    while (text.length() < length) {
      if (random.nextInt(3) == 0) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      } else {
        text.append((char) (' ' + random.nextInt(95)));
      }
    }
    return text.toString();
  }

  private static String hex(Random random, int length) {
    StringBuilder hex = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return hex.toString();
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }
}
