package dev.plimsoll.ops.metrics.internal;

/** Label text of status codes, made once rather than per request. */
public final class StatusCodes {

  private static final String[] TEXT = new String[600];

  static {
    for (int i = 0; i < TEXT.length; i++) {
      TEXT[i] = Integer.toString(i);
    }
  }

  private StatusCodes() {}

  static String text(int status) {
    return status >= 0 && status < TEXT.length ? TEXT[status] : Integer.toString(status);
  }
}
