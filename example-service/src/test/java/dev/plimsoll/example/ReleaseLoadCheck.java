package dev.plimsoll.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * The release's load test in Java, for the test suite where k6 cannot run: the workload of {@code
 * release/load-test.js} (write a task, read it back, list, delete) from the same number of
 * concurrent clients, judged by the same thresholds, read from the same {@code
 * release/thresholds.json}: the p95 latency and the ratio of failed requests (a status of 400 or
 * above, or no answer, as k6 counts them) over every request.
 */
final class ReleaseLoadCheck {

  static final Path THRESHOLDS = Path.of("release/thresholds.json");

  /** The thresholds of {@code release/thresholds.json}. */
  record Thresholds(long p95Millis, double errorRatio, int virtualUsers) {

    static Thresholds read() {
      try {
        JsonNode json = ServiceClient.JSON.readTree(Files.readString(THRESHOLDS));
        return new Thresholds(
            json.get("p95Millis").asLong(),
            json.get("errorRatio").asDouble(),
            json.get("virtualUsers").asInt());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** What a run measured, and whether it passed. */
  record Result(Thresholds thresholds, long requests, long failed, long p95Millis) {

    double errorRatio() {
      return requests == 0 ? 1 : (double) failed / requests;
    }

    boolean latencyPassed() {
      return p95Millis < thresholds.p95Millis();
    }

    boolean errorsPassed() {
      return errorRatio() < thresholds.errorRatio();
    }

    boolean passed() {
      return requests > 0 && latencyPassed() && errorsPassed();
    }

    String report() {
      return String.format(
          Locale.ROOT,
          "load check %s: %d requests, p95 %d ms (threshold < %d ms)%s, error ratio %.4f"
              + " (threshold < %.4f)%s",
          passed() ? "passed" : "FAILED",
          requests,
          p95Millis,
          thresholds.p95Millis(),
          latencyPassed() ? "" : " FAILED",
          errorRatio(),
          thresholds.errorRatio(),
          errorsPassed() ? "" : " FAILED");
    }
  }

  private ReleaseLoadCheck() {}

  /** Runs the workload against {@code client} for {@code duration} and judges it. */
  static Result run(ServiceClient client, Duration duration) throws InterruptedException {
    Thresholds thresholds = Thresholds.read();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    List<Thread> users = new ArrayList<>();
    for (int i = 0; i < thresholds.virtualUsers(); i++) {
      int user = i;
      Thread thread =
          new Thread(
              () -> {
                for (int iteration = 0; System.nanoTime() < end; iteration++) {
                  iteration(client, "load " + user + "-" + iteration, latencies, failed);
                }
              },
              "release-load-" + i);
      thread.start();
      users.add(thread);
    }
    for (Thread user : users) {
      user.join();
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    long p95 =
        sorted.isEmpty() ? Long.MAX_VALUE : sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
    return new Result(thresholds, sorted.size(), failed.get(), p95);
  }

  private static void iteration(
      ServiceClient client, String title, List<Long> latencies, AtomicLong failed) {
    HttpResponse<String> created =
        timed(
            () -> client.post("/tasks", ServiceClient.json(Map.of("title", title))),
            latencies,
            failed);
    if (created == null || created.statusCode() != 201) {
      return;
    }
    long id = ServiceClient.json(created).get("id").asLong();
    timed(() -> client.get("/tasks/" + id), latencies, failed);
    timed(() -> client.get("/tasks?limit=20"), latencies, failed);
    timed(() -> client.delete("/tasks/" + id), latencies, failed);
  }

  private interface Call {
    HttpResponse<String> send();
  }

  private static HttpResponse<String> timed(Call call, List<Long> latencies, AtomicLong failed) {
    long start = System.nanoTime();
    HttpResponse<String> response = null;
    try {
      response = call.send();
    } catch (UncheckedIOException noAnswer) {
      // Counted as failed below, as k6 counts a request without a response.
    }
    latencies.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
    if (response == null || response.statusCode() >= 400) {
      failed.incrementAndGet();
    }
    return response;
  }
}
