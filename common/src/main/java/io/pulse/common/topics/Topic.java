package io.pulse.common.topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A typed descriptor of one topic: its name, the types of its keys and values, and the configuration
 * it is created with. Declared once in {@link TopicCatalogue}; code never spells a topic name.
 *
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(
        String name,
        Class<K> keyType,
        Class<V> valueType,
        int partitions,
        Cleanup cleanup,
        Duration retention,
        String description) {

    public enum Cleanup {
        DELETE("delete"), COMPACT("compact");

        private final String kafkaValue;

        Cleanup(String kafkaValue) {
            this.kafkaValue = kafkaValue;
        }

        public String kafkaValue() {
            return kafkaValue;
        }
    }

    public Topic {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1");
        }
    }

    /** Topic-level configuration for creation (Kafka admin client or Bicep). */
    public Map<String, String> configs() {
        return Map.of(
                "cleanup.policy", cleanup.kafkaValue(),
                "retention.ms", cleanup == Cleanup.COMPACT ? "-1" : Long.toString(retention.toMillis()),
                // Event time comes from the envelope; CreateTime keeps producers' timestamps where brokers allow it.
                "message.timestamp.type", "CreateTime");
    }

    /** The Confluent TopicNameStrategy subject of this topic's values. */
    public String valueSubject() {
        return name + "-value";
    }

    @Override
    public String toString() {
        return name;
    }
}
