package io.pulse.lake.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchFileNameTest {
    @Test
    void nameCarriesTopicPartitionAndOffsetRangeAndParsesBack() {
        BatchFileName name = new BatchFileName("pulse.events.v1", 3, 100, 250);

        assertThat(name.fileName()).isEqualTo("pulse.events.v1+3+100+250.parquet");
        assertThat(BatchFileName.parse(name.fileName())).contains(name);
    }

    @Test
    void namesItDidNotWriteDoNotParse() {
        assertThat(BatchFileName.parse("part-00000-abc.snappy.parquet")).isEmpty();
        assertThat(BatchFileName.parse(".pulse.events.v1+3.0e1f.tmp")).isEmpty();
        assertThat(BatchFileName.parse("pulse.events.v1+3+250+100.parquet")).as("end before start").isEmpty();
        assertThat(BatchFileName.parse("pulse.events.v1+3+1+99999999999999999999.parquet")).isEmpty();
    }

    @Test
    void refusesAnImpossibleRange() {
        assertThatThrownBy(() -> new BatchFileName("t", 0, 5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5..4");
    }
}
