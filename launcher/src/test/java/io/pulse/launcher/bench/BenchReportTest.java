package io.pulse.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static BenchReport sample() {
        BenchReport r = new BenchReport(Instant.parse("2026-11-21T14:00:00Z"));
        r.setting("record size", "300 B");
        r.addThroughput("ceiling", "raw producer", 40_000, "records/s", 20_000, "CPU");
        r.addThroughput("ceiling", "raw consumer", 20_000, "records/s", 20_000, "CPU");
        r.addThroughput("pipeline", "sustained throughput (lag flat)", 5_000, "records/s", 20_000, "topology | CPU");
        r.add("freshness", "p99", 412.5, "ms", "commit interval");
        r.add("memory", "heap used", 0, "MiB", "no ceiling");
        r.finish(Duration.ofSeconds(301));
        return r;
    }

    @Test
    void ratioIsTheValueOverTheCeilingAndEmptyWithoutOne() {
        assertThat(BenchReport.ratio(5_000, 20_000).getAsDouble()).isEqualTo(0.25);
        assertThat(BenchReport.ratio(5_000, 0)).isEmpty();
        assertThat(BenchReport.ratio(5_000, Double.NaN)).isEmpty();
        assertThat(BenchReport.ratio(Double.POSITIVE_INFINITY, 1)).isEmpty();
    }

    @Test
    void percentileUsesTheNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // unsorted on purpose: 100..1
        }
        assertThat(BenchReport.percentile(values, 50)).isEqualTo(50);
        assertThat(BenchReport.percentile(values, 99)).isEqualTo(99);
        assertThat(BenchReport.percentile(values, 100)).isEqualTo(100);
        assertThat(BenchReport.percentile(new double[] {7}, 99)).isEqualTo(7);
        assertThat(BenchReport.percentile(new double[0], 99)).isZero();
        assertThat(values[0]).as("the input is not sorted in place").isEqualTo(100);
    }

    @Test
    void markdownHasOneRowPerMeasurementWithItsShareOfTheCeiling() {
        String md = sample().markdown();
        assertThat(md).contains("took 301 s")
                .contains("- record size: 300 B")
                .contains("| ceiling | raw producer | 40,000 | records/s | 200.0% | CPU |")
                .contains("| pipeline | sustained throughput (lag flat) | 5,000 | records/s | 25.0% | topology \\| CPU |")
                .contains("| freshness | p99 | 413 | ms | — | commit interval |");
        // sections in the fixed order, whatever the order of adding
        assertThat(md.indexOf("| ceiling |")).isLessThan(md.indexOf("| pipeline |"));
        assertThat(md.indexOf("| freshness |")).isLessThan(md.indexOf("| memory |"));
    }

    @Test
    void jsonHasEverySectionAndNullRatiosWhereNoCeilingApplies() throws Exception {
        JsonNode root = new ObjectMapper().readTree(sample().json());
        assertThat(root.get("elapsedSeconds").asLong()).isEqualTo(301);
        JsonNode sections = root.get("sections");
        BenchReport.SECTIONS.forEach(s -> assertThat(sections.has(s)).as("section %s", s).isTrue());
        JsonNode sustained = sections.get("pipeline").get(0);
        assertThat(sustained.get("value").asDouble()).isEqualTo(5_000);
        assertThat(sustained.get("ratioOfCeiling").asDouble()).isEqualTo(0.25);
        assertThat(sections.get("freshness").get(0).get("ratioOfCeiling").isNull()).isTrue();
        assertThat(sections.get("api").isEmpty()).isTrue();
    }

    @Test
    void numbersAreRoundedForReading() {
        assertThat(BenchReport.number(12_345.6)).isEqualTo("12,346");
        assertThat(BenchReport.number(42.25)).isEqualTo("42.3");
        assertThat(BenchReport.number(0.1234)).isEqualTo("0.12");
        assertThat(BenchReport.number(Double.NaN)).isEqualTo("n/a");
        assertThat(BenchReport.percent(java.util.OptionalDouble.of(0.00033))).isEqualTo("0.033%");
        assertThat(BenchReport.percent(java.util.OptionalDouble.of(0.25))).isEqualTo("25.0%");
    }

    @Test
    void rejectsAnUnknownSection() {
        assertThatThrownBy(() -> new BenchReport(Instant.EPOCH).add("speed", "x", 1, "u", ""))
                .hasMessageContaining("unknown section 'speed'");
    }
}
