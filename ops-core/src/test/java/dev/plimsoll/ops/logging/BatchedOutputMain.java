package dev.plimsoll.ops.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.plimsoll.ops.logging.internal.BatchingConsoleOutput;
import dev.plimsoll.ops.logging.internal.LogPipeline;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for {@link BatchedOutputIT}: logs {@code events} events through {@link
 * PlimsollConsoleAppender} (every {@value #LONG_EVERY}th with a message longer than a pipe's atomic
 * write) while another thread prints plain lines with {@code System.out.println} (at least {@code
 * printed}, and on until the last event is written), then stops the logger context at once and
 * exits. Standard error gets the chunk size it chose, how many events were dropped and how many
 * lines were printed.
 */
final class BatchedOutputMain {

  static final String LOGGER = "batched.output";
  static final String SERVICE = "batched-child";
  static final int LONG_EVERY = 97;
  static final int LONG_LENGTH = 5_000;

  private BatchedOutputMain() {}

  static String message(int index) {
    return index % LONG_EVERY == 0
        ? "event " + index + " " + "x".repeat(LONG_LENGTH)
        : "event " + index;
  }

  static String printed(int index) {
    return "plain line " + index + " " + "p".repeat(index % 300);
  }

  public static void main(String[] args) throws Exception {
    int events = Integer.parseInt(args[0]);
    int printed = Integer.parseInt(args[1]);
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    PlimsollConsoleAppender appender = new PlimsollConsoleAppender();
    appender.setContext(context);
    appender.setName(LogPipeline.ASYNC_APPENDER);
    appender.setServiceName(SERVICE);
    appender.setServiceVersion("1.0");
    appender.setEnvironment("test");
    // Room for every event: this run shows what is written, not what is dropped under pressure.
    appender.setQueueSize(events + 1);
    appender.setDiscardingThreshold(0);
    appender.setMaxFlushTime(60_000);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    BatchingConsoleOutput output =
        (BatchingConsoleOutput) appender.getAppender(LogPipeline.OUTPUT_APPENDER);

    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger printedLines = new AtomicInteger();
    Thread printer =
        new Thread(
            () -> {
              // Until the last event is written, so that lines are printed while the worker
              // writes its chunks, and at least the number asked for.
              for (int i = 0; !done.get() || i < printed; i++) {
                System.out.println(printed(i));
                printedLines.set(i + 1);
                LockSupport.parkNanos(20_000);
              }
            },
            "printer");
    printer.start();
    Logger logger = context.getLogger(LOGGER);
    for (int i = 0; i < events; i++) {
      logger.info(message(i));
    }
    long dropped =
        appender.getDroppedCount(Level.ERROR)
            + appender.getDroppedCount(Level.WARN)
            + appender.getDroppedCount(Level.INFO);
    int chunk = output.chunkLimit();
    // At once, with most events still queued: stop() must write them all.
    context.stop();
    done.set(true);
    printer.join();
    System.err.println("chunk=" + chunk + " dropped=" + dropped + " printed=" + printedLines.get());
  }
}
