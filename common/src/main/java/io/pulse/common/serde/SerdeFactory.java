package io.pulse.common.serde;

import io.pulse.common.registry.CachingSchemaRegistryClient;
import io.pulse.common.registry.SchemaRegistryClient;
import io.pulse.common.topics.Topic;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Hands out the serdes of every Pulse topic, built once from one schema registry client: Confluent
 * wire-format Avro for record types, Kafka's own serdes for String, byte[] and the other primitive
 * types. Create one per process and pass it to whatever needs serdes; never build serdes inline.
 * Thread safe; the serdes it returns are thread safe too.
 */
public final class SerdeFactory {
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Map<SerdeKey, Serde<?>> serdes = new ConcurrentHashMap<>();

    /** Serdes that register the schemas they write (Confluent's default). */
    public SerdeFactory(SchemaRegistryClient registry) {
        this(registry, true);
    }

    /**
     * @param autoRegister false: serializers use the latest version registered under the subject and
     *                     fail, naming the subject, if there is none or it differs from the record's schema
     */
    public SerdeFactory(SchemaRegistryClient registry, boolean autoRegister) {
        Objects.requireNonNull(registry, "registry");
        this.registry = registry instanceof CachingSchemaRegistryClient ? registry : new CachingSchemaRegistryClient(registry);
        this.autoRegister = autoRegister;
    }

    /** The (caching) registry client the serdes use. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    /** Confluent Avro serde of a generated record class, as a key ({@code <topic>-key} subject) or a value. */
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> Serde<T> specific(Class<T> type, boolean isKey) {
        return (Serde<T>) serdes.computeIfAbsent(new SerdeKey(type, isKey), key -> Serdes.serdeFrom(
                ConfluentAvroSerializer.specific(registry, type, isKey, autoRegister),
                ConfluentAvroDeserializer.specific(registry, type)));
    }

    /** Confluent Avro serde of generic records (read in the writer's schema). */
    @SuppressWarnings("unchecked")
    public Serde<GenericRecord> generic(boolean isKey) {
        return (Serde<GenericRecord>) serdes.computeIfAbsent(new SerdeKey(GenericRecord.class, isKey), key -> Serdes.serdeFrom(
                ConfluentAvroSerializer.generic(registry, isKey, autoRegister),
                ConfluentAvroDeserializer.generic(registry)));
    }

    /** The serde of a topic's keys, chosen by the descriptor's key type. */
    public <K> Serde<K> forKey(Topic<K, ?> topic) {
        return serdeOf(topic, topic.keyType(), true);
    }

    /** The serde of a topic's values, chosen by the descriptor's value type. */
    public <V> Serde<V> forValue(Topic<?, V> topic) {
        return serdeOf(topic, topic.valueType(), false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> Serde<T> serdeOf(Topic<?, ?> topic, Class<T> type, boolean isKey) {
        if (SpecificRecord.class.isAssignableFrom(type)) {
            return (Serde<T>) specific((Class) type, isKey);
        }
        if (GenericRecord.class.equals(type)) {
            return (Serde<T>) generic(isKey);
        }
        try {
            return (Serde<T>) serdes.computeIfAbsent(new SerdeKey(type, isKey), key -> Serdes.serdeFrom(type));
        } catch (IllegalArgumentException unknownType) {
            throw new IllegalArgumentException("Topic " + topic.name() + ": no serde for " + (isKey ? "key" : "value")
                    + " type " + type.getName() + "; use String, byte[], a primitive wrapper or an Avro record", unknownType);
        }
    }

    private record SerdeKey(Class<?> type, boolean isKey) {
    }
}
