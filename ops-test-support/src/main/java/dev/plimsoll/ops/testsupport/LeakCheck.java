package dev.plimsoll.ops.testsupport;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Measures what a stream of distinct requests leaves on a server's heap: the live heap of a child
 * JVM after a full GC, before and after {@code count} requests that differ in one thing (a path, a
 * request ID, a trace), scaled to bytes per 100,000 requests.
 */
public final class LeakCheck {

  private static final int CONCURRENCY = 8;

  private LeakCheck() {}

  /**
   * Sends {@code warmUp} requests (caches, pools and the JIT settle), then measures the live heap
   * of {@code pid}, sends {@code count} more, and measures again.
   *
   * @param request the {@code i}-th request, each one distinct
   * @return the growth of the live heap, in bytes per 100,000 requests
   * @throws AssertionError if a request fails without an answer
   */
  public static long growthPer100k(
      long pid, int warmUp, int count, IntFunction<HttpRequest> request) {
    send(0, warmUp, request);
    long before = liveHeapBytes(pid);
    send(warmUp, count, request);
    long after = liveHeapBytes(pid);
    long growth = (after - before) * 100_000 / count;
    System.out.printf(
        "leak check: live heap %d KB before, %d KB after %d distinct requests: %+d KB per"
            + " 100,000%n",
        before / 1024, after / 1024, count, growth / 1024);
    return growth;
  }

  /**
   * Sends requests {@code from} to {@code from + count - 1}, eight at a time; any status is fine.
   */
  public static void send(int from, int count, IntFunction<HttpRequest> request) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Semaphore slots = new Semaphore(CONCURRENCY);
    AtomicInteger failed = new AtomicInteger();
    try {
      for (int i = from; i < from + count; i++) {
        slots.acquire();
        client
            .sendAsync(request.apply(i), HttpResponse.BodyHandlers.discarding())
            .whenComplete(
                (response, error) -> {
                  if (error != null) {
                    failed.incrementAndGet();
                  }
                  slots.release();
                });
      }
      if (!slots.tryAcquire(CONCURRENCY, 60, TimeUnit.SECONDS)) {
        throw new AssertionError("requests still unanswered after 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (failed.get() > 0) {
      throw new AssertionError(failed.get() + " of " + count + " requests failed");
    }
  }

  /**
   * The bytes of every object still reachable in JVM {@code pid}, after the full GC that {@code
   * jcmd GC.class_histogram} runs first.
   */
  public static long liveHeapBytes(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("jcmd " + pid + " GC.class_histogram failed: " + output);
      }
      List<String> lines = output.lines().filter(l -> l.startsWith("Total")).toList();
      if (lines.isEmpty()) {
        throw new AssertionError("no Total in the class histogram: " + output);
      }
      String[] fields = lines.get(lines.size() - 1).trim().split("\\s+");
      return Long.parseLong(fields[fields.length - 1]);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + jcmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
