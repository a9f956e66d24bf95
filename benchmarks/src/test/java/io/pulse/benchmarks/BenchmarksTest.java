package io.pulse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Every benchmark runs once, in this JVM, without failing: no timing is measured or asserted here. */
class BenchmarksTest {

    @Test
    void everyBenchmarkRunsOnceWithoutError() throws Exception {
        Options once = new OptionsBuilder()
                .include("io\\.pulse\\.benchmarks\\..*")
                .forks(0)
                .mode(Mode.SingleShotTime)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementBatchSize(1)
                .shouldFailOnError(true)
                .build();

        Collection<RunResult> results = new Runner(once).run();

        assertThat(results).extracting(r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""))
                .containsExactlyInAnyOrder("serializePageView", "serializePurchase", "deserializePageView",
                        "deserializePurchase", "encodeRows", "readMapAndEncode");
    }
}
