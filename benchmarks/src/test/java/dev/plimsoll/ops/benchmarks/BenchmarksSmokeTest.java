package dev.plimsoll.ops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs every benchmark once, briefly and in this JVM, so that none of them rots. */
class BenchmarksSmokeTest {

  @Test
  void everyBenchmarkProducesAResult() throws Exception {
    Options options =
        new OptionsBuilder()
            .include("dev\\.plimsoll\\.ops\\.benchmarks\\..*")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .timeout(TimeValue.seconds(30))
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    // 1 metrics + 3 request-ID + 4 span + 8 access-log (4 × 2 outputs) + 2 log output
    // + 4 filter + 4 scrape
    assertThat(results).hasSize(26);
    for (RunResult result : results) {
      assertThat(result.getPrimaryResult().getSampleCount())
          .as(result.getParams().getBenchmark())
          .isPositive();
      assertThat(result.getPrimaryResult().getScore())
          .as(result.getParams().getBenchmark())
          .isPositive();
    }
  }
}
