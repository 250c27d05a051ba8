package dev.plimsoll.ops.benchmarks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Minimal request, response and chain for the filter benchmark: the methods the filter calls are
 * written out; every other one throws, so a new call on the request path shows up at once.
 */
final class FakeServlet {

  private FakeServlet() {}

  private static <T> T unsupported(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            FakeServlet.class.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(method.getName());
            }));
  }

  /** A GET with a User-Agent and no incoming request ID or trace context. */
  static final class Request extends HttpServletRequestWrapper {
    private final Map<String, String> headers;
    private final Map<String, Object> attributes = new HashMap<>();

    Request(Map<String, String> headers) {
      super(unsupported(HttpServletRequest.class));
      this.headers = Map.copyOf(headers);
    }

    /** Forgets the attributes, as a container does between requests. */
    void recycle() {
      attributes.clear();
    }

    @Override
    public @Nullable String getHeader(String name) {
      return headers.get(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(headers.keySet());
    }

    @Override
    public @Nullable Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }

    @Override
    public void removeAttribute(String name) {
      attributes.remove(name);
    }

    @Override
    public String getMethod() {
      return "GET";
    }

    @Override
    public String getRequestURI() {
      return Bench.PATH;
    }

    @Override
    public String getScheme() {
      return "http";
    }

    @Override
    public String getServerName() {
      return "localhost";
    }

    @Override
    public int getServerPort() {
      return 8080;
    }

    @Override
    public String getRemoteAddr() {
      return "127.0.0.1";
    }

    @Override
    public boolean isAsyncStarted() {
      return false;
    }
  }

  /** Remembers the status and the last value of each header. */
  static final class Response extends HttpServletResponseWrapper {
    private final Map<String, String> headers = new HashMap<>();
    private int status = 200;

    Response() {
      super(unsupported(HttpServletResponse.class));
    }

    void recycle() {
      headers.clear();
      status = 200;
    }

    @Override
    public void setHeader(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public @Nullable String getHeader(String name) {
      return headers.get(name);
    }

    @Override
    public void setStatus(int status) {
      this.status = status;
    }

    @Override
    public int getStatus() {
      return status;
    }

    @Override
    public boolean isCommitted() {
      return false;
    }
  }

  /** The application: a servlet that does nothing. */
  static final class NoopChain implements FilterChain {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response) {}
  }
}
