package dev.plimsoll.ops.benchmarks.soak;

import com.sun.net.httpserver.HttpServer;
import dev.plimsoll.ops.testsupport.LeakCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the packaged example service under a mixed load for a set time and samples what would grow
 * if something leaked: live heap after a full GC, RSS, threads, file descriptors, the scrape's size
 * and the log queue's drops. Prints each figure's growth from the first to the last quarter of the
 * samples and writes every sample to a CSV file.
 *
 * <p>The load, paced to a fixed rate from several client threads: known routes (list, get, create
 * then delete, so the embedded database stays small), unique unknown paths (a path scanner), a
 * unique {@code X-Request-ID} on every request and a unique {@code traceparent} on every fourth,
 * errors from the demo knobs, a slow downstream called on every create and checked by readiness,
 * readiness and liveness probes every second, and a scrape every five seconds.
 *
 * <p>Settings (environment): {@code SOAK_JAR} (the service's jar), {@code SOAK_SECONDS} (600),
 * {@code SOAK_WARMUP_SECONDS} (60, not sampled), {@code SOAK_SAMPLE_SECONDS} (30), {@code
 * SOAK_RATE} (requests per second, 150), {@code SOAK_CLIENTS} (8), {@code SOAK_HEAP} ({@link
 * #DEFAULT_HEAP}), {@code SOAK_ARGS} (more arguments for the service, such as {@code
 * --spring.web.resources.add-mappings=true}), {@code SOAK_OUT} (the directory for the CSV and the
 * service's standard error).
 */
public final class SoakDriver {

  private static final Pattern DROPPED =
      Pattern.compile("(?m)^ops_logging_events_dropped_total\\{[^}]*\\} ([0-9.eE+]+)$");
  private static final Duration DOWNSTREAM_DELAY = Duration.ofMillis(150);
  private static final int LIVE_TASKS = 100;

  /**
   * A fixed, pre-touched heap, so that RSS shows what grows outside it; soft references cleared at
   * every collection, so that the heap after GC is what is strongly held. (By default the JVM keeps
   * a soft reference for a second per free megabyte after its last use: with 256 MB, start-up's
   * caches vanish about four minutes in and hide a leak's first minutes.)
   */
  private static final String DEFAULT_HEAP =
      "-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:SoftRefLRUPolicyMSPerMB=0";

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<Long> tasks = new ConcurrentLinkedDeque<>();
  private final AtomicLong scrapeBytes = new AtomicLong();
  private final AtomicLong logDrops = new AtomicLong();
  private volatile boolean running = true;

  private SoakDriver(String base) {
    this.base = base;
  }

  /** A sample of the service's process. */
  record Sample(
      long elapsedSeconds,
      long heapAfterGcBytes,
      long rssBytes,
      long threads,
      long fds,
      long scrapeBytes,
      long logDrops,
      long requests) {

    static final String HEADER =
        "elapsed_s,heap_after_gc_bytes,rss_bytes,threads,fds,scrape_bytes,log_drops,requests";

    String csv() {
      return elapsedSeconds
          + ","
          + heapAfterGcBytes
          + ","
          + rssBytes
          + ","
          + threads
          + ","
          + fds
          + ","
          + scrapeBytes
          + ","
          + logDrops
          + ","
          + requests;
    }
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(env("SOAK_JAR", "example-service/target/example-service.jar"));
    Duration duration = Duration.ofSeconds(Long.parseLong(env("SOAK_SECONDS", "600")));
    Duration warmUp = Duration.ofSeconds(Long.parseLong(env("SOAK_WARMUP_SECONDS", "60")));
    Duration every = Duration.ofSeconds(Long.parseLong(env("SOAK_SAMPLE_SECONDS", "30")));
    int rate = Integer.parseInt(env("SOAK_RATE", "150"));
    int clients = Integer.parseInt(env("SOAK_CLIENTS", "8"));
    List<String> heap = List.of(env("SOAK_HEAP", DEFAULT_HEAP).split(" "));
    Path out = Path.of(env("SOAK_OUT", "benchmarks/target/soak"));
    Files.createDirectories(out);

    HttpServer downstream = slowDownstream();
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(heap);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--server.port=" + port));
    String extra = env("SOAK_ARGS", "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("OPS_SHUTDOWN_DRAIN_DELAY", "0s");
    builder.environment().put("TASKS_DEMO_ENABLED", "true");
    builder.environment().put("TASKS_DEMO_ERROR_RATE", "0.02");
    builder
        .environment()
        .put("TASKS_DOWNSTREAM_URL", "http://127.0.0.1:" + downstream.getAddress().getPort());
    // An access line per request would fill the disk; the log queue's drops are scraped instead.
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(out.resolve("service-stderr.log").toFile());
    Process service = builder.start();
    SoakDriver driver = new SoakDriver("http://127.0.0.1:" + port);
    try {
      driver.awaitReady(service);
      System.out.printf(
          "soak: %s for %d s (%d s warm-up, a sample every %d s), %d requests/s from %d clients,"
              + " heap %s, pid %d%n",
          jar,
          duration.toSeconds(),
          warmUp.toSeconds(),
          every.toSeconds(),
          rate,
          clients,
          String.join(" ", heap),
          service.pid());
      List<Sample> samples = driver.run(service.pid(), duration, warmUp, every, rate, clients);
      Path csv = out.resolve("soak-" + Instant.now().getEpochSecond() + ".csv");
      List<String> lines = new ArrayList<>();
      lines.add(Sample.HEADER);
      samples.forEach(s -> lines.add(s.csv()));
      Files.write(csv, lines);
      driver.report(samples, csv);
      new ProcessBuilder("kill", "-TERM", Long.toString(service.pid())).start().waitFor();
      boolean exited = service.waitFor(60, TimeUnit.SECONDS);
      System.out.printf(
          "SIGTERM: %s%n", exited ? "exited with status " + service.exitValue() : "still running");
    } finally {
      service.destroyForcibly();
      downstream.stop(0);
    }
  }

  private List<Sample> run(
      long pid, Duration duration, Duration warmUp, Duration every, int rate, int clients)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    long periodNanos = TimeUnit.SECONDS.toNanos(1) * clients / rate;
    for (int i = 0; i < clients; i++) {
      long offset = periodNanos * i / clients;
      threads.add(started("soak-client-" + i, () -> drive(start + offset, periodNanos, end)));
    }
    threads.add(started("soak-probes", () -> every(1, end, this::probe)));
    threads.add(started("soak-scrapes", () -> every(5, end, this::scrape)));

    List<Sample> samples = new CopyOnWriteArrayList<>();
    long next = start + warmUp.toNanos();
    while (next <= end) {
      sleepUntil(next);
      samples.add(sample(pid, (System.nanoTime() - start) / 1_000_000_000L));
      Sample last = samples.get(samples.size() - 1);
      System.out.printf(
          "  %4d s: heap after GC %6.1f MB, RSS %6.1f MB, %3d threads, %3d fds, scrape %6d B,"
              + " log drops %d, %d requests%n",
          last.elapsedSeconds(),
          mb(last.heapAfterGcBytes()),
          mb(last.rssBytes()),
          last.threads(),
          last.fds(),
          last.scrapeBytes(),
          last.logDrops(),
          last.requests());
      next += every.toNanos();
    }
    running = false;
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    }
    return samples;
  }

  /** One client thread: a request every {@code periodNanos}, each one of the mix. */
  private void drive(long first, long periodNanos, long end) {
    long next = first;
    while (running && next < end) {
      sleepUntil(next);
      next += periodNanos;
      long n = sequence.incrementAndGet();
      double pick = ThreadLocalRandom.current().nextDouble();
      HttpRequest.Builder request;
      String kind;
      if (pick < 0.35) {
        kind = "list";
        request = get("/tasks?limit=5");
      } else if (pick < 0.50) {
        Long id = tasks.peekLast();
        kind = "get";
        request = get("/tasks/" + (id == null ? 1 : id));
      } else if (pick < 0.60) {
        kind = "create";
        request =
            builder("/tasks")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"soak " + n + "\"}"));
      } else if (pick < 0.70) {
        kind = "unknown-path";
        request = get("/scan/" + n + "/.env");
      } else if (pick < 0.75) {
        kind = "slow";
        request = get("/tasks?limit=5&demo_latency_ms=300");
      } else {
        kind = "list";
        request = get("/tasks?limit=20");
      }
      request.header("X-Request-ID", "soak-" + n);
      if (n % 4 == 0) {
        request.header("traceparent", String.format("00-%032x-%016x-01", n, n));
      }
      HttpResponse<String> response = send(kind, request.build());
      if (response != null && "create".equals(kind) && response.statusCode() == 201) {
        created(response.body());
      }
    }
  }

  /** Keeps the last {@value #LIVE_TASKS} created tasks; deletes the older ones. */
  private void created(String body) {
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(body);
    if (!id.find()) {
      return;
    }
    tasks.addLast(Long.parseLong(id.group(1)));
    while (tasks.size() > LIVE_TASKS) {
      Long oldest = tasks.pollFirst();
      if (oldest != null) {
        send("delete", builder("/tasks/" + oldest).DELETE().build());
      }
    }
  }

  private void probe() {
    send("probe", get("/health/ready").build());
    send("probe", get("/health/live").build());
  }

  private void scrape() {
    HttpResponse<String> response = send("scrape", get("/metrics").build());
    if (response == null) {
      return;
    }
    scrapeBytes.set(response.body().getBytes(StandardCharsets.UTF_8).length);
    double dropped = 0;
    Matcher m = DROPPED.matcher(response.body());
    while (m.find()) {
      dropped += Double.parseDouble(m.group(1));
    }
    logDrops.set((long) dropped);
  }

  private HttpResponse<String> send(String kind, HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      count(kind + " " + response.statusCode());
      return response;
    } catch (IOException e) {
      count(kind + " failed: " + e.getClass().getSimpleName());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  private HttpRequest.Builder builder(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
  }

  private HttpRequest.Builder get(String path) {
    return builder(path).GET();
  }

  private void every(int seconds, long end, Runnable task) {
    long next = System.nanoTime();
    while (running && next < end) {
      sleepUntil(next);
      task.run();
      next += TimeUnit.SECONDS.toNanos(seconds);
    }
  }

  private Sample sample(long pid, long elapsedSeconds) {
    Map<String, Long> status = procStatus(pid);
    return new Sample(
        elapsedSeconds,
        LeakCheck.liveHeapBytes(pid),
        status.getOrDefault("VmRSS", 0L) * 1024,
        status.getOrDefault("Threads", 0L),
        fds(pid),
        scrapeBytes.get(),
        logDrops.get(),
        outcomes.values().stream().mapToLong(LongAdder::sum).sum());
  }

  /** The numeric fields of {@code /proc/<pid>/status} (VmRSS in kB, Threads). */
  private static Map<String, Long> procStatus(long pid) {
    Map<String, Long> fields = new ConcurrentHashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        String[] parts = line.split(":\\s+");
        if (parts.length == 2) {
          String value = parts[1].split("\\s+")[0];
          if (value.matches("\\d+")) {
            fields.put(parts[0], Long.parseLong(value));
          }
        }
      }
    } catch (IOException e) {
      // the process is gone; the sample shows zeros
    }
    return fields;
  }

  private static long fds(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Each figure's mean over the first and the last quarter of the samples, and the growth. */
  private void report(List<Sample> samples, Path csv) {
    System.out.printf("%nrequests by outcome:%n");
    outcomes.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> System.out.printf("  %-40s %d%n", e.getKey(), e.getValue().sum()));
    if (samples.size() < 4) {
      System.out.println("fewer than 4 samples: no quarters to compare");
      return;
    }
    int quarter = samples.size() / 4;
    List<Sample> first = samples.subList(0, quarter);
    List<Sample> last = samples.subList(samples.size() - quarter, samples.size());
    System.out.printf(
        "%n%d samples from %d s to %d s; means of the first and the last %d:%n",
        samples.size(),
        samples.get(0).elapsedSeconds(),
        samples.get(samples.size() - 1).elapsedSeconds(),
        quarter);
    System.out.println("| Figure | First quarter | Last quarter | Growth |");
    System.out.println("|---|---:|---:|---:|");
    row("Heap after GC (MB)", first, last, s -> mb(s.heapAfterGcBytes()));
    row("RSS (MB)", first, last, s -> mb(s.rssBytes()));
    row("Threads", first, last, s -> (double) s.threads());
    row("File descriptors", first, last, s -> (double) s.fds());
    row("Scrape size (KB)", first, last, s -> s.scrapeBytes() / 1024.0);
    row("Log events dropped (total)", first, last, s -> (double) s.logDrops());
    System.out.printf("%nsamples: %s%n", csv);
  }

  private static void row(
      String name,
      List<Sample> first,
      List<Sample> last,
      java.util.function.ToDoubleFunction<Sample> figure) {
    double a = first.stream().mapToDouble(figure).average().orElse(0);
    double b = last.stream().mapToDouble(figure).average().orElse(0);
    String growth =
        a == 0
            ? (b == 0 ? "0 %" : "n/a")
            : String.format(Locale.ROOT, "%+.1f %%", (b - a) / a * 100);
    System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", name, a, b, growth);
  }

  private void awaitReady(Process service) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("the service exited with " + service.exitValue());
      }
      try {
        if (client
                .send(get("/health/ready").build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the service was not ready within 120 s");
  }

  private static HttpServer slowDownstream() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            Thread.sleep(DOWNSTREAM_DELAY.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(16));
    server.start();
    return server;
  }

  private static Thread started(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.start();
    return thread;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
