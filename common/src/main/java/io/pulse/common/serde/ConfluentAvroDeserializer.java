package io.pulse.common.serde;

import io.pulse.common.registry.SchemaRegistryClient;
import io.pulse.common.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format. The writer's schema is fetched by the id in the record;
 * a specific reader resolves it against its class's schema (Avro schema resolution), so data written
 * with an older compatible version reads into the current class. A generic reader returns records in
 * the writer's schema, with logical types in their raw Avro form, as Confluent's does.
 *
 * <p>A wrong magic byte, a record too short to carry a schema id, an unknown id or undecodable data
 * fail with a {@link SerializationException} naming the topic and the magic byte or id. Thread safe;
 * null is read as null (a tombstone).
 *
 * @param <T> a generated specific record class, or {@link GenericRecord}
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {
    private final SchemaRegistryClient registry;
    private final GenericData model;
    private final Schema readerSchema;
    private final String readsAs;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    private ConfluentAvroDeserializer(SchemaRegistryClient registry, GenericData model, Schema readerSchema, String readsAs) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.model = model;
        this.readerSchema = readerSchema;
        this.readsAs = readsAs;
    }

    /** Reads into a generated class: reader schema is the class's, writer schema the one the id names. */
    public static <T extends SpecificRecord> ConfluentAvroDeserializer<T> specific(SchemaRegistryClient registry, Class<T> type) {
        GeneratedClassTrust.install();
        SpecificData model = SpecificData.getForClass(type);
        return new ConfluentAvroDeserializer<>(registry, model, model.getSchema(type), type.getName());
    }

    /** Reads generic records in the writer's schema. */
    public static ConfluentAvroDeserializer<GenericRecord> generic(SchemaRegistryClient registry) {
        return new ConfluentAvroDeserializer<>(registry, GenericData.get(), null, "a generic record");
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = ConfluentWireFormat.schemaId(topic, data);
        DatumReader<T> reader = readers.computeIfAbsent(id, writerId -> readerFor(topic, writerId));
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                    data.length - ConfluentWireFormat.HEADER_SIZE, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Record on topic '" + topic + "' has bytes left over after decoding "
                        + "it with writer schema id " + id + " into " + readsAs + ": the id does not match the data");
            }
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new SerializationException("Could not decode the record on topic '" + topic + "' with writer schema id "
                    + id + " into " + readsAs + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> readerFor(String topic, int id) {
        Schema writerSchema;
        try {
            writerSchema = registry.getById(id);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Could not get writer schema id " + id + " of the record on topic '" + topic
                    + "': " + e.getMessage(), e);
        }
        return (DatumReader<T>) model.createDatumReader(writerSchema, readerSchema == null ? writerSchema : readerSchema);
    }
}
