package dev.plimsoll.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import dev.plimsoll.ops.logging.internal.DroppedLogEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoggingUnderPressureTest {

  /** An output that takes nothing until released, like a console nobody reads. */
  static final class StuckOutput extends AppenderBase<ILoggingEvent> {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger written = new AtomicInteger();

    @Override
    protected void append(ILoggingEvent event) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.incrementAndGet();
    }
  }

  @Test
  void aBurstLargerThanTheQueueNeverBlocksAndEveryLossIsCounted() throws Exception {
    StuckOutput output = new StuckOutput();
    PlimsollAsyncAppender async = asyncOver(output, 64);
    Logger logger = ((LoggerContext) async.getContext()).getLogger("burst");
    logger.addAppender(async);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DroppedLogEvents.of((LoggerContext) async.getContext()).bindTo(registry);
    double errorsBefore = dropped(registry, "error");
    double othersBefore = dropped(registry, "other");

    // Completes only if logging never blocks on the stuck output (the JUnit timeout is a guard
    // against a hang, not a measurement).
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (int i = 0; i < 5_000; i++) {
            logger.info("info {}", i);
            if (i % 10 == 0) {
              logger.error("error {}", i);
            }
          }
        });

    assertThat(dropped(registry, "other") - othersBefore).isGreaterThan(4_000);
    assertThat(dropped(registry, "error") - errorsBefore).isGreaterThan(0);
    output.release.countDown();
    async.stop();
    ((LoggerContext) async.getContext()).stop();
  }

  @Test
  void errorsAreKeptWhileOnlyTheLowerLevelsAreDiscarded() {
    StuckOutput output = new StuckOutput();
    PlimsollAsyncAppender async = asyncOver(output, 100);
    Logger logger = ((LoggerContext) async.getContext()).getLogger("pressure");
    logger.addAppender(async);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DroppedLogEvents.of((LoggerContext) async.getContext()).bindTo(registry);
    double errorsBefore = dropped(registry, "error");
    double othersBefore = dropped(registry, "other");

    // The worker may take a batch of events once before it sticks; 250 events fill the queue to
    // the discarding threshold in any case, and discarded events never fill it further.
    for (int i = 0; i < 250; i++) {
      logger.info("fills the queue past the discarding threshold {}", i);
    }
    for (int i = 0; i < 5; i++) {
      logger.error("kept {}", i);
    }
    assertThat(dropped(registry, "other") - othersBefore).isGreaterThan(0);
    assertThat(dropped(registry, "error") - errorsBefore).isZero();
    output.release.countDown();
    async.stop();
    assertThat(output.written.get()).isGreaterThanOrEqualTo(5);
    ((LoggerContext) async.getContext()).stop();
  }

  @Test
  void stoppingWritesEveryQueuedEventInOrder() {
    StuckOutput output = new StuckOutput();
    PlimsollAsyncAppender async = asyncOver(output, 2_000);
    List<String> messages = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> recorder =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            messages.add(event.getFormattedMessage());
          }
        };
    recorder.setContext(async.getContext());
    recorder.start();
    async.addAppender(recorder);
    Logger logger = ((LoggerContext) async.getContext()).getLogger("ordered");
    logger.addAppender(async);

    for (int i = 0; i < 1_500; i++) {
      logger.info("event {}", i);
    }
    output.release.countDown();
    async.setMaxFlushTime(30_000); // a bound against a hang: stop() returns once all are written
    async.stop();

    assertThat(messages)
        .hasSize(1_500)
        .isSortedAccordingTo(Comparator.comparingInt(m -> Integer.parseInt(m.substring(6))));
    assertThat(output.written.get()).isEqualTo(1_500);
    ((LoggerContext) async.getContext()).stop();
  }

  /** A started appender with a queue of {@code queueSize} in front of {@code output}. */
  private static PlimsollAsyncAppender asyncOver(StuckOutput output, int queueSize) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    output.setContext(context);
    output.start();
    PlimsollAsyncAppender async = new PlimsollAsyncAppender();
    async.setContext(context);
    async.setQueueSize(queueSize);
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
