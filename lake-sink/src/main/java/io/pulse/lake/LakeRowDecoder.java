package io.pulse.lake;

import io.pulse.avro.Envelope;
import io.pulse.avro.lake.LakeEventRow;
import io.pulse.lake.mapping.LakeEventMapper;
import io.pulse.lake.mapping.LakeMappingException;
import io.pulse.lake.mapping.RecordOrigin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** Consumed bytes to a lake row: the injected envelope deserializer, then the mapper. */
final class LakeRowDecoder {
    private final Deserializer<Envelope> deserializer;
    private final LakeEventMapper mapper;

    LakeRowDecoder(Deserializer<Envelope> deserializer, LakeEventMapper mapper) {
        this.deserializer = deserializer;
        this.mapper = mapper;
    }

    /** @throws RuntimeException whatever the deserializer or the mapper refused the record with */
    LakeEventRow decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new LakeMappingException("the record has no value (a tombstone); the events topic holds envelopes only");
        }
        Envelope envelope = deserializer.deserialize(record.topic(), record.headers(), record.value());
        if (envelope == null) {
            throw new LakeMappingException("the deserializer returned no envelope for a " + record.value().length + "-byte value");
        }
        return mapper.toRow(envelope, new RecordOrigin(record.topic(), record.partition(), record.offset()));
    }
}
