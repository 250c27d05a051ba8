package dev.plimsoll.ops.internal;

import dev.plimsoll.ops.http.ServerExchange;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.jspecify.annotations.Nullable;

/** Reads trace-context headers from an exchange. Not API. */
enum ExchangeHeaders implements TextMapGetter<ServerExchange> {
  INSTANCE;

  @Override
  public Iterable<String> keys(ServerExchange carrier) {
    return carrier.requestHeaderNames();
  }

  @Override
  public @Nullable String get(@Nullable ServerExchange carrier, String key) {
    return carrier == null ? null : carrier.requestHeader(key);
  }
}
