package io.pulse.embedded.registry;

import io.pulse.common.kafka.TopicProvisioner;
import io.pulse.common.registry.CompatibilityLevel;
import io.pulse.common.registry.RegistryState;
import io.pulse.common.registry.SchemaRegistryClient.RegisteredSchema;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable storage: the compacted, single-partition topic {@link TopicCatalogue#SCHEMAS}.
 * Creates it if absent, replays it into a {@link RegistryState} on start, and appends each change
 * synchronously (acks=all) before the registry answers. One registry instance writes to it at a time.
 */
final class SchemaLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaLog.class);
    private static final Topic<String, String> TOPIC = TopicCatalogue.SCHEMAS;
    private static final short EMBEDDED_REPLICATION = 1;
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> clientProperties;
    private final Duration timeout;
    private KafkaProducer<String, String> producer;

    /**
     * @param clientProperties Kafka client properties (bootstrap servers, security); producer-, consumer- or
     *                         admin-only keys are passed only to the clients that know them
     * @param timeout          bound of each storage operation: topic creation, replay, one append
     */
    SchemaLog(Map<String, Object> clientProperties, Duration timeout) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.timeout = timeout;
    }

    String topic() {
        return TOPIC.name();
    }

    /** Creates the topic if absent (1 partition, compacted) and checks it has a single partition. */
    void ensureTopic() {
        int timeoutMs = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        Admin admin = Admin.create(only(AdminClientConfig.configNames(), Map.of(
                CommonClientConfigs.CLIENT_ID_CONFIG, "pulse-schema-registry-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs)));
        try {
            new TopicProvisioner(admin, EMBEDDED_REPLICATION, timeout).ensure(List.of(TOPIC));
        } catch (IllegalStateException | KafkaException e) {
            throw new EmbeddedRegistryException("Could not create or check the schema registry's topic " + topic() + ": "
                    + e.getMessage(), e);
        } finally {
            admin.close(timeout);
        }
    }

    /**
     * Reads the topic from its beginning to its current end into {@code state}.
     *
     * @return the number of schema versions read
     * @throws EmbeddedRegistryException naming the topic (and the offset of a record it cannot read)
     */
    int replayInto(RegistryState state) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(TOPIC.name(), timeout);
            if (partitions == null || partitions.size() != 1) {
                throw new EmbeddedRegistryException("The schema registry's topic " + topic() + " must have exactly 1 partition"
                        + " (registrations are ordered), it has " + (partitions == null ? 0 : partitions.size()));
            }
            TopicPartition partition = new TopicPartition(TOPIC.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            Instant deadline = Instant.now().plus(timeout);
            int versions = 0;
            while (consumer.position(partition, timeout) < end) {
                if (Instant.now().isAfter(deadline)) {
                    throw new EmbeddedRegistryException("Could not read the schema registry's topic " + topic() + " to offset "
                            + end + " within " + timeout + "; reached " + consumer.position(partition, timeout));
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    versions += apply(record, state);
                }
            }
            return versions;
        } catch (KafkaException e) {
            throw new EmbeddedRegistryException("Could not read the schema registry's topic " + topic() + ": " + e.getMessage(), e);
        }
    }

    /** Writes a new schema version and waits until the broker has it (acks=all). */
    void append(RegisteredSchema registered) {
        send(SchemaLogCodec.schemaKey(registered), SchemaLogCodec.schemaValue(registered),
                "version " + registered.version() + " of subject '" + registered.subject() + "'");
    }

    /** Writes the global compatibility level and waits until the broker has it (acks=all). */
    void appendCompatibility(CompatibilityLevel level) {
        send(SchemaLogCodec.configKey(), SchemaLogCodec.configValue(level), "compatibility level " + level);
    }

    private void send(String key, String value, String what) {
        try {
            producer().send(new ProducerRecord<>(TOPIC.name(), 0, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EmbeddedRegistryException("Could not store " + what + " in " + topic() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddedRegistryException("Could not store " + what + " in " + topic() + ": no acknowledgement within "
                    + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedRegistryException("Interrupted while storing " + what + " in " + topic(), e);
        } catch (KafkaException e) {
            throw new EmbeddedRegistryException("Could not store " + what + " in " + topic() + ": " + e.getMessage(), e);
        }
    }

    private int apply(ConsumerRecord<String, String> record, RegistryState state) {
        SchemaLogCodec.Entry entry;
        try {
            entry = SchemaLogCodec.decode(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            throw new EmbeddedRegistryException("Unreadable record in the schema registry's topic " + topic() + " at offset "
                    + record.offset() + ": " + e.getMessage(), e);
        }
        if (entry instanceof SchemaLogCodec.SchemaEntry schema) {
            state.apply(schema.schema());
            return 1;
        }
        if (entry instanceof SchemaLogCodec.ConfigEntry config) {
            state.setCompatibility(config.level(), level -> { });
        } else if (entry instanceof SchemaLogCodec.OtherEntry other) {
            log.warn("Skipping a record of {} at offset {} that this registry does not use: {}", topic(), record.offset(),
                    other.description());
        }
        return 0;
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties());
        }
        return producer;
    }

    private Map<String, Object> producerProperties() {
        int requestTimeout = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-schema-registry-writer");
        overrides.put(ProducerConfig.ACKS_CONFIG, "all");
        overrides.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        overrides.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        overrides.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        overrides.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, requestTimeout);
        overrides.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        overrides.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        overrides.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return only(ProducerConfig.configNames(), overrides);
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-schema-registry-reader");
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        Map<String, Object> properties = only(ConsumerConfig.configNames(), overrides);
        // Partitions are assigned, not subscribed: no group, no committed offsets.
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return properties;
    }

    /** The given client properties this kind of client knows, plus its own settings. */
    private Map<String, Object> only(Set<String> known, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        clientProperties.forEach((key, value) -> {
            if (known.contains(key)) {
                properties.put(key, value);
            }
        });
        properties.putAll(overrides);
        return properties;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(timeout);
            producer = null;
        }
    }
}
