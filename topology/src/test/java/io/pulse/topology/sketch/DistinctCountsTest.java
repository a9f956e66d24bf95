package io.pulse.topology.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.junit.jupiter.api.Test;

class DistinctCountsTest {

    @Test
    void isExactUpToTheDocumentedCountAcrossSerializationAndUnion() {
        HllSketch sketch = DistinctCounts.newSketch();
        for (int n = 1; n <= DistinctCounts.EXACT_UP_TO; n++) {
            sketch.update("customer-" + n);
            HllSketch stored = DistinctCounts.read(DistinctCounts.write(sketch));
            assertThat(DistinctCounts.estimate(stored)).as("after %d distinct values", n).isEqualTo(n);
            assertThat(DistinctCounts.estimate(DistinctCounts.union(List.of(stored)))).as("union after %d", n).isEqualTo(n);
        }
    }

    @Test
    void unionCountsValuesSeenByBothSketchesOnce() {
        HllSketch a = DistinctCounts.newSketch();
        HllSketch b = DistinctCounts.newSketch();
        for (int i = 0; i < 100; i++) {
            a.update("c-" + i);
            b.update("c-" + (i + 60));
        }

        assertThat(DistinctCounts.estimate(DistinctCounts.union(List.of(a, b)))).isEqualTo(160);
    }

    @Test
    void anEmptySketchIsEmptyBytesAndReadsBackEmpty() {
        assertThat(DistinctCounts.write(DistinctCounts.newSketch()).remaining()).isZero();
        assertThat(DistinctCounts.read(DistinctCounts.write(DistinctCounts.newSketch())).isEmpty()).isTrue();
        assertThat(DistinctCounts.estimate(DistinctCounts.union(List.of()))).isZero();
    }
}
