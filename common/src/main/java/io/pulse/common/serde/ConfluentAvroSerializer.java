package io.pulse.common.serde;

import io.pulse.common.registry.SchemaRegistryClient;
import io.pulse.common.registry.SchemaRegistryClient.RegisteredSchema;
import io.pulse.common.registry.SchemaRegistryException;
import io.pulse.common.registry.SubjectNotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, under the subject of Confluent's TopicNameStrategy.
 *
 * <p>With auto-registration on (the default) the record's schema is registered (or found) under the
 * subject. With it off, the latest registered version of the subject is used, and it must have the same
 * binary layout (Parsing Canonical Form) as the record's schema; otherwise serialization fails naming
 * the subject. Ids are resolved once per subject and schema. Thread safe; null is written as null
 * (a tombstone).
 *
 * @param <T> a generated specific record class, or {@link GenericRecord}
 */
public final class ConfluentAvroSerializer<T extends GenericContainer> implements Serializer<T> {
    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final boolean autoRegister;
    private final GenericData model;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    private ConfluentAvroSerializer(SchemaRegistryClient registry, boolean isKey, boolean autoRegister, GenericData model) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.isKey = isKey;
        this.autoRegister = autoRegister;
        this.model = model;
    }

    /** For records of a generated class; logical types (decimal, timestamps) use the class's conversions. */
    public static <T extends SpecificRecord> ConfluentAvroSerializer<T> specific(
            SchemaRegistryClient registry, Class<T> type, boolean isKey, boolean autoRegister) {
        return new ConfluentAvroSerializer<>(registry, isKey, autoRegister, SpecificData.getForClass(type));
    }

    /** For generic records; decimal and timestamp fields may hold raw Avro values or BigDecimal/Instant. */
    public static ConfluentAvroSerializer<GenericRecord> generic(SchemaRegistryClient registry, boolean isKey, boolean autoRegister) {
        return new ConfluentAvroSerializer<>(registry, isKey, autoRegister, AvroModels.genericWithConversions());
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Schema schema = data.getSchema();
        String subject = ConfluentWireFormat.subject(topic, isKey);
        int id = ids.computeIfAbsent(new SubjectSchema(subject, schema), this::resolveId);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        ByteBuffer header = ByteBuffer.allocate(ConfluentWireFormat.HEADER_SIZE);
        ConfluentWireFormat.writeHeader(header, id);
        out.writeBytes(header.array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, this::writerFor).write(data, encoder);
            encoder.flush();
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            // Avro reports a null in a non-null field as a NullPointerException naming the field, a wrong type as a ClassCastException.
            throw new SerializationException("Could not encode a " + schema.getFullName() + " for topic '" + topic
                    + "' with schema id " + id + " (subject '" + subject + "'): " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int resolveId(SubjectSchema key) {
        try {
            return autoRegister ? registry.register(key.subject(), key.schema()) : latestMatching(key);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Could not " + (autoRegister ? "register" : "look up") + " the schema of "
                    + key.schema().getFullName() + " under subject '" + key.subject() + "': " + e.getMessage(), e);
        }
    }

    private int latestMatching(SubjectSchema key) {
        RegisteredSchema latest;
        try {
            latest = registry.getLatest(key.subject());
        } catch (SubjectNotFoundException e) {
            throw new SerializationException("Auto-registration is off and subject '" + key.subject()
                    + "' has no registered schema; register " + key.schema().getFullName() + " first", e);
        }
        if (SchemaNormalization.parsingFingerprint64(latest.schema()) != SchemaNormalization.parsingFingerprint64(key.schema())) {
            throw new SerializationException("Auto-registration is off and the latest version " + latest.version()
                    + " (id " + latest.id() + ") of subject '" + key.subject() + "' differs from the schema of "
                    + key.schema().getFullName() + " being written; register it or deploy the matching classes");
        }
        return latest.id();
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<T> writerFor(Schema schema) {
        return (DatumWriter<T>) model.createDatumWriter(schema);
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
