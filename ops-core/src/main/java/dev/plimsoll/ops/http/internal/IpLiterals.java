package dev.plimsoll.ops.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/** IP literals read without name resolution. Not API. */
public final class IpLiterals {

  private IpLiterals() {}

  /** Returns the raw bytes of an IP literal, or {@code null}; never resolves a host name. */
  public static byte @Nullable [] bytes(String address) {
    String candidate = address;
    if (candidate.startsWith("[") && candidate.endsWith("]")) {
      candidate = candidate.substring(1, candidate.length() - 1);
    }
    if (candidate.isEmpty() || candidate.length() > 45) {
      return null;
    }
    boolean ipv6 = candidate.indexOf(':') >= 0;
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || c == '.'
              || (ipv6 && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) {
        return null;
      }
    }
    if (!ipv6 && candidate.chars().filter(c -> c == '.').count() != 3) {
      return null;
    }
    try {
      // Only literals reach here, so this never performs a DNS lookup.
      return InetAddress.getByName(candidate).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
