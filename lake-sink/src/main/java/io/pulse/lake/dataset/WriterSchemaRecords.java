package io.pulse.lake.dataset;

import io.pulse.lake.mapping.LakeMappingException;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic's records as generic records in their writer's schema, for datasets that store exactly what
 * the producer wrote (the row schema is the writer schema; logical types stay raw Avro, which Parquet keeps as
 * DECIMAL and TIMESTAMP), and gets the few fields a dataset needs for its layout.
 */
final class WriterSchemaRecords {
    private final Deserializer<GenericRecord> deserializer;

    WriterSchemaRecords(Deserializer<GenericRecord> deserializer) {
        this.deserializer = deserializer;
    }

    GenericRecord read(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new LakeMappingException("the record has no value (a tombstone); " + record.topic() + " is not compacted");
        }
        GenericRecord value = deserializer.deserialize(record.topic(), record.headers(), record.value());
        if (value == null) {
            throw new LakeMappingException("the deserializer returned no record for a " + record.value().length + "-byte value");
        }
        return value;
    }

    static String text(GenericRecord record, String field) {
        return required(record, field).toString();
    }

    static boolean flag(GenericRecord record, String field) {
        if (required(record, field) instanceof Boolean b) {
            return b;
        }
        throw new LakeMappingException("field '" + field + "' of " + record.getSchema().getFullName() + " is not a boolean");
    }

    static Instant instant(GenericRecord record, String field) {
        Object value = required(record, field);
        if (value instanceof Long millis) {
            return Instant.ofEpochMilli(millis);
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        throw new LakeMappingException("field '" + field + "' of " + record.getSchema().getFullName() + " is not a timestamp-millis");
    }

    private static Object required(GenericRecord record, String field) {
        Schema.Field f = record.getSchema().getField(field);
        if (f == null) {
            throw new LakeMappingException("the writer schema " + record.getSchema().getFullName() + " has no field '" + field + "'");
        }
        Object value = record.get(f.pos());
        if (value == null) {
            throw new LakeMappingException("field '" + field + "' of " + record.getSchema().getFullName() + " is null");
        }
        return value;
    }
}
