package dev.plimsoll.ops.logging.internal;

import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Accepts request IDs that are safe to echo and log, and generates the others. */
public final class RequestIds {

  /** The longest request ID accepted from a client. */
  public static final int MAX_LENGTH = 128;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /**
   * Returns {@code candidate} when it is safe: 1 to {@value #MAX_LENGTH} printable ASCII characters
   * (no spaces, quotes, backslashes or control characters); otherwise {@code null}.
   */
  public static @Nullable String accept(@Nullable String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return null;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c <= ' ' || c >= 0x7F || c == '"' || c == '\\') {
        return null;
      }
    }
    return candidate;
  }

  /** A new random ID: 32 lower-case hex digits (128 bits). */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] text = new char[32];
    long high = random.nextLong();
    long low = random.nextLong();
    for (int i = 0; i < 16; i++) {
      text[15 - i] = HEX[(int) (high >>> (i * 4)) & 0xF];
      text[31 - i] = HEX[(int) (low >>> (i * 4)) & 0xF];
    }
    return new String(text);
  }

  /** The request's own ID when safe, otherwise a new one. */
  public static String acceptOrGenerate(@Nullable String candidate) {
    String accepted = accept(candidate);
    return accepted != null ? accepted : generate();
  }
}
