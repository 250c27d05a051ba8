package dev.plimsoll.ops.http.internal;

import dev.plimsoll.ops.http.IpRange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds the address of the client behind any trusted proxies. {@code X-Forwarded-For} is honoured
 * only when the direct peer is a trusted proxy, and it is read from the right, skipping trusted
 * hops, so a client cannot spoof its address by sending the header itself.
 */
public final class ClientAddressResolver {

  /** The header read for forwarded client addresses. */
  public static final String FORWARDED_FOR = "X-Forwarded-For";

  private static final int MAX_HOPS = 32;

  private final List<IpRange> trustedProxies;

  private ClientAddressResolver(List<IpRange> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /** A resolver that trusts the given proxies; with none, the peer address is always the answer. */
  public static ClientAddressResolver trusting(List<IpRange> trustedProxies) {
    return new ClientAddressResolver(trustedProxies);
  }

  /**
   * Returns the client address.
   *
   * @param peerAddress the address of the TCP peer
   * @param forwardedFor the value of {@code X-Forwarded-For}, or {@code null}
   */
  public String resolve(String peerAddress, @Nullable String forwardedFor) {
    if (forwardedFor == null || trustedProxies.isEmpty() || !trusted(peerAddress)) {
      return peerAddress;
    }
    String[] hops = forwardedFor.split(",", MAX_HOPS + 1);
    int last = Math.min(hops.length, MAX_HOPS) - 1;
    String candidate = peerAddress;
    for (int i = last; i >= 0; i--) {
      String hop = hops[i].trim();
      if (IpLiterals.bytes(hop) == null) {
        // A malformed hop ends the chain we can trust.
        return candidate;
      }
      candidate = hop;
      if (!trusted(hop)) {
        return hop;
      }
    }
    return candidate;
  }

  private boolean trusted(String address) {
    for (IpRange range : trustedProxies) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
