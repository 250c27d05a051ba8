package dev.plimsoll.ops.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real HAProxy (Debian's {@code haproxy} on the PATH) load-balancing HTTP on a free loopback port
 * over a backend of server slots that start empty, as a load balancer in front of a rolling
 * deployment does: the test {@link #attach attaches} an instance to a free slot when it starts and
 * {@link #detach detaches} it once it has exited, and HAProxy alone decides, by health-checking
 * {@code healthPath} every 500 ms, when an instance takes traffic (2 passed checks) and when it
 * stops taking any (2 failed checks). A connection refused or closed without a response is retried
 * on another instance, as a rolling deployment needs. Close it to stop it.
 *
 * <p>The slots are changed and read through HAProxy's runtime API on a Unix socket (the "stats
 * socket"), with the commands {@code set server}, {@code show stat} of HAProxy 2.6's management
 * guide.
 */
public final class HaproxyServer implements AutoCloseable {

  /** How to install HAProxy, for the message when it is missing. */
  public static final String INSTALL = "Debian: apt-get install -y haproxy";

  /** The backend holding the slots. */
  public static final String BACKEND = "instances";

  private static final String SLOT = "slot";

  private final Process process;
  private final int port;
  private final Path socket;
  private final Path log;
  private final int slots;
  private final Map<String, Integer> attached = new LinkedHashMap<>();

  private HaproxyServer(Process process, int port, Path socket, Path log, int slots) {
    this.process = process;
    this.port = port;
    this.socket = socket;
    this.log = log;
    this.slots = slots;
  }

  /**
   * Starts HAProxy with {@code slots} empty server slots, health-checking {@code GET healthPath}
   * (healthy: status 200), with its configuration, socket and log in {@code workDir}; returns once
   * its runtime API answers.
   *
   * @throws AssertionError if {@code haproxy} is not on the PATH and {@code CI=true} (elsewhere the
   *     test is skipped)
   * @throws IllegalStateException if HAProxy rejects its configuration or exits
   */
  public static HaproxyServer start(String healthPath, int slots, Path workDir) throws IOException {
    Path binary = LocalServices.requireExecutable("haproxy", INSTALL);
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1: " + slots);
    }
    int port = FreePorts.find();
    Path socket = workDir.resolve("haproxy.sock");
    Path config = workDir.resolve("haproxy.cfg");
    Files.writeString(config, config(port, socket, healthPath, slots));
    Path log = workDir.resolve("haproxy.log");
    // -db: stay in the foreground, so that this process is HAProxy itself and its signals reach it.
    Process process =
        new ProcessBuilder(binary.toString(), "-db", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    HaproxyServer server = new HaproxyServer(process, port, socket, log, slots);
    try {
      Await.until(
          "HAProxy's runtime API (log: " + log + ")",
          Duration.ofSeconds(30),
          () -> !process.isAlive() || server.answers());
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "HAProxy exited with status " + process.exitValue() + ": " + Files.readString(log));
      }
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The configuration: one frontend, one backend of disabled slots (maintenance, no traffic, no
   * checks) with their address set when an instance is attached.
   */
  static String config(int port, Path socket, String healthPath, int slots) {
    StringBuilder text =
        new StringBuilder()
            .append("global\n")
            .append("  nbthread 1\n")
            .append("  maxconn 1024\n")
            .append("  stats socket ")
            .append(socket)
            .append(" mode 600 level admin\n")
            .append("  stats timeout 10s\n")
            // Only requests with an error, a retry or a redispatch are logged (dontlog-normal).
            .append("  log stdout format raw local0 info\n")
            .append("\n")
            .append("defaults\n")
            .append("  mode http\n")
            .append("  log global\n")
            .append("  option httplog\n")
            .append("  option dontlog-normal\n")
            .append("  timeout connect 1s\n")
            .append("  timeout client 30s\n")
            .append("  timeout server 30s\n")
            .append("  timeout check 1s\n")
            .append("  timeout http-keep-alive 10s\n")
            // A connection refused (instance gone or not yet listening) or closed before any
            // response (instance stopping) is retried, each retry on another instance. A status
            // such as 500 is the application's answer and goes to the client as it is.
            .append("  retries 3\n")
            .append("  option redispatch 1\n")
            .append("  retry-on conn-failure empty-response\n")
            .append("\n")
            .append("frontend service\n")
            .append("  bind 127.0.0.1:")
            .append(port)
            .append('\n')
            .append("  default_backend ")
            .append(BACKEND)
            .append("\n\n")
            .append("backend ")
            .append(BACKEND)
            .append('\n')
            .append("  balance roundrobin\n")
            .append("  option httpchk GET ")
            .append(healthPath)
            .append('\n')
            .append("  http-check expect status 200\n")
            .append("  default-server check inter 500ms fall 2 rise 2\n");
    for (int i = 1; i <= slots; i++) {
      // Port 1 is a placeholder: a slot gets its instance's address when one is attached.
      text.append("  server ").append(SLOT).append(i).append(" 127.0.0.1:1 disabled\n");
    }
    return text.toString();
  }

  /** The port clients send their requests to, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** What HAProxy has logged: its warnings, and each request with an error, retry or redispatch. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Puts the instance on {@code 127.0.0.1:instancePort} into a free slot, counted as down until it
   * passes two health checks; returns the slot's name.
   *
   * @throws IllegalStateException if every slot is taken
   */
  public synchronized String attach(int instancePort) {
    String slot = null;
    for (int i = 1; i <= slots && slot == null; i++) {
      if (!attached.containsKey(SLOT + i)) {
        slot = SLOT + i;
      }
    }
    if (slot == null) {
      throw new IllegalStateException("every slot is taken: " + attached);
    }
    String server = BACKEND + "/" + slot;
    // Leaving maintenance, HAProxy counts a checked server as up until its first check fails;
    // "health down" makes it earn its two passed checks first.
    command(
        "set server "
            + server
            + " addr 127.0.0.1 port "
            + instancePort
            + ";set server "
            + server
            + " state ready;set server "
            + server
            + " health down");
    attached.put(slot, instancePort);
    return slot;
  }

  /** Puts {@code slot} back into maintenance (no traffic, no checks), free for another instance. */
  public synchronized void detach(String slot) {
    if (attached.remove(slot) == null) {
      throw new IllegalArgumentException("no instance in " + slot);
    }
    command("set server " + BACKEND + "/" + slot + " state maint");
  }

  /** The state of every slot, by name, as {@code show stat} reports it. */
  public Map<String, Server> servers() {
    Map<String, Server> servers = new LinkedHashMap<>();
    for (Map<String, String> row : stat()) {
      String name = row.getOrDefault("svname", "");
      if (name.startsWith(SLOT)) {
        servers.put(name, Server.of(row));
      }
    }
    return servers;
  }

  /** The backend's totals, such as the retries and redispatches HAProxy made for its clients. */
  public Server backend() {
    for (Map<String, String> row : stat()) {
      if ("BACKEND".equals(row.get("svname"))) {
        return Server.of(row);
      }
    }
    throw new IllegalStateException("no BACKEND line in show stat");
  }

  /** The backend's lines of {@code show stat}, each field by its name in the CSV header. */
  private List<Map<String, String>> stat() {
    String csv = command("show stat");
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
      throw new IllegalStateException("not the CSV of show stat: " + csv);
    }
    List<String> header = List.of(lines.get(0).substring(2).split(",", -1));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size() && i < fields.length; i++) {
        row.put(header.get(i), fields[i]);
      }
      if (BACKEND.equals(row.get("pxname"))) {
        rows.add(row);
      }
    }
    return rows;
  }

  /**
   * Whether the instance in {@code slot} is fully up: status {@code UP} after a passed layer-7
   * check.
   */
  public boolean isUp(String slot) {
    Server server = servers().get(slot);
    return server != null && server.isUp();
  }

  /**
   * Sends one line of commands (separated by {@code ;}) to the runtime API and returns the answer.
   *
   * @throws IllegalStateException if HAProxy does not answer or reports an error
   */
  public String command(String line) {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        answer.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      String text = answer.toString(StandardCharsets.US_ASCII);
      String problem = problem(text);
      if (problem != null) {
        throw new IllegalStateException("HAProxy answered '" + problem + "' to: " + line);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("HAProxy's runtime API did not answer: " + line, e);
    }
  }

  private static @Nullable String problem(String answer) {
    for (String l : answer.lines().toList()) {
      String lower = l.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("unknown command")
          || lower.contains("no such")
          || lower.startsWith("require ")
          || lower.contains("invalid")
          || lower.contains("permission denied")) {
        return l;
      }
    }
    return null;
  }

  private boolean answers() {
    if (!Files.exists(socket)) {
      return false;
    }
    try {
      command("show info");
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /**
   * Stops HAProxy gracefully (SIGUSR1: it stops listening and exits once its connections are done),
   * or at once if it has not exited within five seconds.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      Process softStop =
          new ProcessBuilder("kill", "-USR1", Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      softStop.waitFor(5, TimeUnit.SECONDS);
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * One line of {@code show stat}.
   *
   * @param name the slot's name, or {@code BACKEND}
   * @param status {@code UP}, {@code DOWN}, {@code MAINT}, or a transition such as {@code UP 1/2}
   * @param checkStatus the last health check's result, such as {@code L7OK}, {@code L7STS} (an
   *     unexpected status), {@code L4CON} (connection refused); empty without checks
   * @param checkCode the HTTP status the last check received, 0 if none
   * @param address the instance's {@code host:port}, empty for the backend
   * @param retries connection attempts retried ({@code wretr})
   * @param redispatches requests sent to another server after a failure ({@code wredis})
   * @param downTransitions times the server went from up to down ({@code chkdown})
   */
  public record Server(
      String name,
      String status,
      String checkStatus,
      int checkCode,
      String address,
      long retries,
      long redispatches,
      long downTransitions) {

    static Server of(Map<String, String> row) {
      return new Server(
          row.getOrDefault("svname", ""),
          row.getOrDefault("status", ""),
          // "* " marks a check under way.
          row.getOrDefault("check_status", "").replace("* ", "").trim(),
          number(row.get("check_code")).intValue(),
          row.getOrDefault("addr", ""),
          number(row.get("wretr")),
          number(row.get("wredis")),
          number(row.get("chkdown")));
    }

    /** Status {@code UP} after a passed layer-7 check. */
    public boolean isUp() {
      return "UP".equals(status) && "L7OK".equals(checkStatus);
    }

    /**
     * Status {@code DOWN} (no traffic), possibly on its way up again; {@code UP 1/2}, one failed
     * check short of down, still takes traffic.
     */
    public boolean isDown() {
      return status.startsWith("DOWN");
    }

    private static Long number(@Nullable String text) {
      return text == null || text.isBlank() ? 0L : Long.parseLong(text.trim());
    }
  }
}
