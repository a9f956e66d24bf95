package io.pulse.common.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte {@code 0}, the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding of the record.
 */
public final class ConfluentWireFormat {
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {
    }

    /** Writes the header into a buffer positioned at its start. */
    static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }

    /**
     * The schema id of a record in the wire format.
     *
     * @throws SerializationException naming the topic and what is wrong: too short, or the magic byte found
     */
    public static int schemaId(String topic, byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("Record on topic '" + topic + "' has " + data.length
                    + " bytes, too short for the Confluent wire format (magic byte and 4-byte schema id, then Avro data)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Record on topic '%s' starts with magic byte 0x%02x, expected 0x00 (Confluent wire format); "
                            + "it was not written by a Confluent-compatible Avro serializer", topic, data[0]));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }

    /** Confluent's TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
