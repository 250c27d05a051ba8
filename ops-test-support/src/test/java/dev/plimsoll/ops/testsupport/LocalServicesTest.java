package dev.plimsoll.ops.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class LocalServicesTest {

  /** A loopback port nothing listens on: the one a closed server socket just had. */
  private static InetSocketAddress closed() {
    return new InetSocketAddress("127.0.0.1", FreePorts.find());
  }

  @Test
  void theUsualTruthyValuesOfCiMakeAMissingServiceAFailure() {
    for (String ci : new String[] {"true", "TRUE", "True", "1", "yes", "YES", " true "}) {
      assertThatThrownBy(() -> LocalServices.require("PostgreSQL", closed(), ci))
          .as("CI=%s", ci)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("is not reachable")
          .hasMessageContaining("fails instead of skipping");
    }
  }

  @Test
  void withoutCiAMissingServiceSkipsTheTest() {
    for (String ci : new String[] {null, "", "false", "0", "no"}) {
      assertThatThrownBy(() -> LocalServices.require("PostgreSQL", closed(), ci))
          .as("CI=%s", ci)
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("skipping");
    }
  }
}
