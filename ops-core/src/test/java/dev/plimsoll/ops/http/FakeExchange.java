package dev.plimsoll.ops.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** An exchange with no server behind it, for driving the observer directly. */
public class FakeExchange implements ServerExchange {

  private final String method;
  private final String path;
  private final Map<String, String> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /** The response headers the observer set. */
  public final Map<String, String> responseHeaders = new LinkedHashMap<>();

  /** The status the application set; 200 unless changed. */
  public int status = 200;

  /** Whether the status line has gone out. */
  public boolean committed;

  /** The route the server matched, or {@code null}. */
  public @Nullable String route;

  /** What {@link #route()} throws instead, to show a failing route resolver. */
  public @Nullable RuntimeException routeFailure;

  /** An exception the server's error handling answered. */
  public @Nullable Throwable handled;

  public FakeExchange(String method, String path) {
    this.method = method;
    this.path = path;
    this.route = path;
  }

  /** Adds a request header. */
  public FakeExchange header(String name, String value) {
    requestHeaders.put(name, value);
    return this;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String scheme() {
    return "http";
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String serverName() {
    return "localhost";
  }

  @Override
  public int serverPort() {
    return 8080;
  }

  @Override
  public String remoteAddress() {
    return "127.0.0.1";
  }

  @Override
  public @Nullable String requestHeader(String name) {
    return requestHeaders.get(name);
  }

  @Override
  public Iterable<String> requestHeaderNames() {
    return requestHeaders.keySet();
  }

  @Override
  public void setResponseHeader(String name, String value) {
    responseHeaders.put(name, value);
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public boolean isCommitted() {
    return committed;
  }

  @Override
  public @Nullable String route() {
    if (routeFailure != null) {
      throw routeFailure;
    }
    return route;
  }

  @Override
  public @Nullable Throwable handledFailure() {
    return handled;
  }
}
