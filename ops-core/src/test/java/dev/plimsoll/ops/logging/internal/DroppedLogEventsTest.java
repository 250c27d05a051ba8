package dev.plimsoll.ops.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import dev.plimsoll.ops.logging.PlimsollAsyncAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DroppedLogEventsTest {

  private final List<LoggerContext> contexts = new ArrayList<>();
  private final List<CountDownLatch> stuck = new ArrayList<>();
  private final List<CountDownLatch> entered = new ArrayList<>();

  @AfterEach
  void stop() {
    stuck.forEach(CountDownLatch::countDown);
    contexts.forEach(LoggerContext::stop);
  }

  @Test
  void twoAppendersInTwoContextsCountSeparately() {
    LoggerContext first = context();
    LoggerContext second = context();
    PlimsollAsyncAppender a = discardingEveryInfo(first, "A");
    PlimsollAsyncAppender b = discardingEveryInfo(second, "B");
    first.getLogger("orders").addAppender(a);
    second.getLogger("orders").addAppender(b);
    SimpleMeterRegistry firstRegistry = new SimpleMeterRegistry();
    SimpleMeterRegistry secondRegistry = new SimpleMeterRegistry();
    DroppedLogEvents.of(first).bindTo(firstRegistry);
    DroppedLogEvents.of(second).bindTo(secondRegistry);

    for (int i = 0; i < 3; i++) {
      first.getLogger("orders").info("first {}", i);
    }
    for (int i = 0; i < 5; i++) {
      second.getLogger("orders").debug("second {}", i);
    }

    assertThat(a.getDroppedCount(Level.INFO)).isEqualTo(3);
    assertThat(b.getDroppedCount(Level.DEBUG)).isEqualTo(5);
    assertThat(dropped(firstRegistry, "other")).isEqualTo(3);
    assertThat(dropped(secondRegistry, "other")).isEqualTo(5);
    assertThat(dropped(firstRegistry, "error")).isZero();
    assertThat(dropped(secondRegistry, "warn")).isZero();
  }

  @Test
  void theCountersKeepCountingAfterTheBinderIsCollected() throws InterruptedException {
    LoggerContext context = context();
    PlimsollAsyncAppender a = discardingEveryInfo(context, "A");
    context.getLogger("orders").addAppender(a);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Bound as PrometheusMetrics binds it: nothing but the registry keeps the binder.
    WeakReference<DroppedLogEvents> binder = bindTemporary(context, registry);
    for (int i = 0; i < 20 && binder.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }

    context.getLogger("orders").info("dropped after a collection");

    assertThat(dropped(registry, "other")).isEqualTo(1);
  }

  private static WeakReference<DroppedLogEvents> bindTemporary(
      LoggerContext context, SimpleMeterRegistry registry) {
    DroppedLogEvents events = DroppedLogEvents.of(context);
    events.bindTo(registry);
    return new WeakReference<>(events);
  }

  @Test
  void theMeterAddsUpTheAttachedAppendersCountingEachOnce() {
    LoggerContext context = context();
    PlimsollAsyncAppender a = discardingEveryInfo(context, "A");
    PlimsollAsyncAppender b = discardingEveryInfo(context, "B");
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Logger audit = context.getLogger("audit");
    root.addAppender(a);
    audit.addAppender(a); // the same appender on two loggers
    audit.setAdditive(false);
    context.getLogger("orders").addAppender(b);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DroppedLogEvents.of(context).bindTo(registry);

    audit.info("once");
    context.getLogger("orders").info("twice: to b, then to a through the root");

    assertThat(a.getDroppedCount(Level.INFO)).isEqualTo(2);
    assertThat(b.getDroppedCount(Level.INFO)).isEqualTo(1);
    assertThat(dropped(registry, "other")).isEqualTo(3);

    // A reconfiguration replaces the appenders: only those attached are counted.
    root.detachAppender(a);
    audit.detachAppender(a);
    assertThat(dropped(registry, "other")).isEqualTo(1);
  }

  @Test
  void errorsAndWarningsAreCountedUnderTheirOwnLevel() throws Exception {
    LoggerContext context = context();
    PlimsollAsyncAppender async = overStuckOutput(context, "STUCK", 1, 0);
    Logger logger = context.getLogger("pressure");
    logger.addAppender(async);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DroppedLogEvents.of(context).bindTo(registry);
    logger.info("held by the output");
    assertThat(entered.get(entered.size() - 1).await(10, TimeUnit.SECONDS)).isTrue();
    logger.info("fills the queue");

    for (int i = 0; i < 20; i++) {
      logger.error("error {}", i);
    }
    for (int i = 0; i < 10; i++) {
      logger.warn("warn {}", i);
    }

    assertThat(dropped(registry, "error")).isEqualTo(20);
    assertThat(dropped(registry, "warn")).isEqualTo(10);
    assertThat(dropped(registry, "other")).isZero();
    assertThat(async.getDroppedCount(Level.ERROR)).isEqualTo(20);
    assertThat(async.getDroppedCount(Level.WARN)).isEqualTo(10);
    assertThat(async.getDroppedCount(Level.TRACE)).isZero();
  }

  @Test
  void withoutAPlimsollAppenderTheSeriesExistAtZero() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DroppedLogEvents.of(context()).bindTo(registry);

    assertThat(registry.get(DroppedLogEvents.NAME).functionCounters())
        .extracting(counter -> counter.getId().getTag(DroppedLogEvents.LEVEL))
        .containsExactlyInAnyOrder("error", "warn", "other");
    assertThat(dropped(registry, "other")).isZero();
  }

  @Test
  void eachAppenderReportsItsFirstLossOnceOnStandardError() {
    LoggerContext context = context();
    PlimsollAsyncAppender a = discardingEveryInfo(context, "FIRST_APPENDER");
    PlimsollAsyncAppender b = discardingEveryInfo(context, "SECOND_APPENDER");
    context.getLogger("a").addAppender(a);
    context.getLogger("b").addAppender(b);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 10; i++) {
        context.getLogger("a").info("a {}", i);
        context.getLogger("b").info("b {}", i);
      }
    } finally {
      System.setErr(original);
    }

    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .hasSize(2)
        .allMatch(line -> line.contains("ops_logging_events_dropped_total (reported once)"))
        .anyMatch(line -> line.contains("FIRST_APPENDER"))
        .anyMatch(line -> line.contains("SECOND_APPENDER"));
  }

  private LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    contexts.add(context);
    return context;
  }

  /** An appender that discards every event below WARN: its queue is never free enough. */
  private PlimsollAsyncAppender discardingEveryInfo(LoggerContext context, String name) {
    return overStuckOutput(context, name, 10, 11);
  }

  /** A started appender whose output takes nothing until the test ends. */
  private PlimsollAsyncAppender overStuckOutput(
      LoggerContext context, String name, int queue, int discardingThreshold) {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    stuck.add(release);
    entered.add(writing);
    AppenderBase<ILoggingEvent> output =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            writing.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    output.setContext(context);
    output.start();
    PlimsollAsyncAppender async = new PlimsollAsyncAppender();
    async.setName(name);
    async.setContext(context);
    async.setQueueSize(queue);
    async.setDiscardingThreshold(discardingThreshold);
    async.setMaxFlushTime(100);
    async.addAppender(output);
    async.start();
    return async;
  }

  private static double dropped(SimpleMeterRegistry registry, String level) {
    return registry
        .get(DroppedLogEvents.NAME)
        .tag(DroppedLogEvents.LEVEL, level)
        .functionCounter()
        .count();
  }
}
