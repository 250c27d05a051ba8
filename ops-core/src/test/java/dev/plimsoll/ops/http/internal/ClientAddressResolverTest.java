package dev.plimsoll.ops.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.ops.http.IpRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressResolverTest {

  private final ClientAddressResolver behindProxy =
      ClientAddressResolver.trusting(List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("::1")));

  @Test
  void anUntrustedPeerCannotSpoofItsAddress() {
    assertThat(behindProxy.resolve("203.0.113.7", "1.2.3.4")).isEqualTo("203.0.113.7");
    assertThat(ClientAddressResolver.trusting(List.of()).resolve("10.0.0.1", "1.2.3.4"))
        .isEqualTo("10.0.0.1");
  }

  @Test
  void aTrustedProxysHeaderIsReadFromTheRight() {
    assertThat(behindProxy.resolve("10.0.0.1", "198.51.100.2")).isEqualTo("198.51.100.2");
    // The client prepended a fake address; the proxy appended the real one.
    assertThat(behindProxy.resolve("10.0.0.1", "6.6.6.6, 198.51.100.2, 10.1.1.1"))
        .isEqualTo("198.51.100.2");
    assertThat(behindProxy.resolve("::1", "2001:db8::5")).isEqualTo("2001:db8::5");
  }

  @Test
  void malformedHopsStopTheChain() {
    assertThat(behindProxy.resolve("10.0.0.1", "evil.example, not-an-ip")).isEqualTo("10.0.0.1");
    assertThat(behindProxy.resolve("10.0.0.1", "198.51.100.2, <script>")).isEqualTo("10.0.0.1");
  }

  @Test
  void rangesMatchByPrefix() {
    IpRange range = IpRange.parse("192.168.16.0/20");
    assertThat(range.contains("192.168.31.255")).isTrue();
    assertThat(range.contains("192.168.32.0")).isFalse();
    assertThat(range.contains("fe80::1")).isFalse();
    assertThat(range.contains("not an address")).isFalse();
  }

  @Test
  void hostNamesAndBadPrefixesAreRefused() {
    assertThatThrownBy(() -> IpRange.parse("proxy.internal"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpRange.parse("10.0.0/8"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
