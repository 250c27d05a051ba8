package dev.plimsoll.ops.http;

import static java.util.Objects.requireNonNull;

import dev.plimsoll.ops.http.internal.IpLiterals;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}), or a single address. */
public final class IpRange {

  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private IpRange(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * Parses {@code 192.168.0.0/16}, {@code ::1} or {@code fd00::/8}. Host names are refused: a range
   * must never depend on DNS.
   *
   * @throws IllegalArgumentException if the text is not an address or CIDR range
   */
  public static IpRange parse(String text) {
    requireNonNull(text, "text");
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = IpLiterals.bytes(address);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address or CIDR range");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length");
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("bad prefix length");
      }
    }
    return new IpRange(bytes, prefix, trimmed);
  }

  /** Whether {@code address}, an IP literal, falls in this range; anything else is not. */
  public boolean contains(@Nullable String address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = IpLiterals.bytes(address.trim());
    if (bytes == null || bytes.length != network.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof IpRange range
        && range.prefixLength == prefixLength
        && Arrays.equals(range.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    return text;
  }
}
