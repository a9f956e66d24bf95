package io.pulse.lake.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.lake.LakeEventRow;
import io.pulse.lake.TestEvents;
import io.pulse.lake.mapping.LakeEventMapper;
import io.pulse.lake.mapping.Pseudonymiser;
import io.pulse.lake.mapping.RecordOrigin;
import java.time.Instant;
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

    @Test
    void rowsArePartitionedByTenantAndEventTimeInUtc() {
        LakeEventMapper mapper = new LakeEventMapper(new Pseudonymiser("a-test-key-of-some-length"));
        // 23:30 in UTC-5 is 04:30 the next day in UTC.
        LakeEventRow row = mapper.toRow(TestEvents.base("e", "contoso", io.pulse.avro.EventType.OTHER, null)
                .setEventTime(Instant.parse("2024-12-31T23:30:00-05:00")).build(), new RecordOrigin("t", 0, 0));

        assertThat(EventsLayout.directoryOf(row).relativePath()).isEqualTo("events/tenant=contoso/date=2025-01-01/hour=04");
    }
}
