package dev.plimsoll.ops.servlet;

import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import org.jspecify.annotations.Nullable;

/** Reads trace-context headers from a servlet request. */
enum RequestHeaders implements TextMapGetter<HttpServletRequest> {
  INSTANCE;

  @Override
  public Iterable<String> keys(HttpServletRequest carrier) {
    return Collections.list(carrier.getHeaderNames());
  }

  @Override
  public @Nullable String get(@Nullable HttpServletRequest carrier, String key) {
    return carrier == null ? null : carrier.getHeader(key);
  }
}
