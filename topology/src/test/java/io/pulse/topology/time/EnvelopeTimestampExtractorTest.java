package io.pulse.topology.time;

import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.Envelope;
import io.pulse.common.topics.TopicCatalogue;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EnvelopeTimestampExtractorTest {
    private static final long BROKER_TIME = at("12:00:00").toEpochMilli();
    private static final long PARTITION_TIME = at("10:00:00").toEpochMilli();
    private final EnvelopeTimestampExtractor extractor = new EnvelopeTimestampExtractor();

    @Test
    void takesTheEventTimeFromTheEnvelopeNotTheBroker() {
        assertThat(extractor.extract(record(pageView("contoso", "10:00:05").build()), PARTITION_TIME))
                .isEqualTo(at("10:00:05").toEpochMilli());
    }

    @Test
    void keepsThePartitionTimeForAnEnvelopeWithImpossibleTimestamps() {
        Envelope future = pageView("contoso", "10:00:05").setEventTime(Instant.parse("2099-01-01T00:00:00Z")).build();
        Envelope zero = pageView("contoso", "10:00:05").setEventTime(Instant.EPOCH).build();

        assertThat(extractor.extract(record(future), PARTITION_TIME)).isEqualTo(PARTITION_TIME);
        assertThat(extractor.extract(record(zero), PARTITION_TIME)).isEqualTo(PARTITION_TIME);
        assertThat(extractor.extract(record(future), -1)).as("first record of the partition").isEqualTo(BROKER_TIME);
    }

    @Test
    void keepsThePartitionTimeForARecordThatIsNoEnvelope() {
        assertThat(extractor.extract(record(new byte[] {1, 2}), PARTITION_TIME)).isEqualTo(PARTITION_TIME);
        assertThat(extractor.extract(record(null), PARTITION_TIME)).isEqualTo(PARTITION_TIME);
    }

    private static ConsumerRecord<Object, Object> record(Object value) {
        return new ConsumerRecord<>(TopicCatalogue.EVENTS.name(), 0, 0L, BROKER_TIME, TimestampType.LOG_APPEND_TIME, 0, 0,
                "contoso", value, new RecordHeaders(), Optional.empty());
    }
}
