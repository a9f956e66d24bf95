package io.pulse.topology.describe;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One topic Pulse needs, with everything needed to create it (admin client, Bicep): name, partitions and the
 * topic-level configuration Kafka would be given ({@code cleanup.policy}, {@code retention.ms},
 * {@code message.timestamp.type}, and whatever else Kafka Streams sets on its internal topics).
 *
 * @param configs topic configuration, sorted by key
 */
public record PlannedTopic(String name, Kind kind, int partitions, Map<String, String> configs, String description) {

    /** Where a topic comes from. */
    public enum Kind {
        /** Declared in {@link io.pulse.common.topics.TopicCatalogue}. */
        CATALOGUE,
        /** A state store's changelog, created by Kafka Streams from the topology. */
        CHANGELOG,
        /** A repartition topic of the topology. */
        REPARTITION;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PlannedTopic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, got " + partitions);
        }
        if (!configs.containsKey("cleanup.policy")) {
            throw new IllegalArgumentException("topic " + name + ": no cleanup.policy in " + configs);
        }
        configs = Collections.unmodifiableMap(new TreeMap<>(configs));
    }

    /** Kafka's value: {@code delete}, {@code compact} or {@code compact,delete}. */
    public String cleanupPolicy() {
        return configs.get("cleanup.policy");
    }

    /** Whether compaction keeps the latest value per key (also when old segments are deleted as well). */
    public boolean compacted() {
        return cleanupPolicy().contains("compact");
    }

    /** Whether records are also deleted by age. */
    public boolean deletesByAge() {
        return cleanupPolicy().contains("delete");
    }

    /** {@code retention.ms} when set: -1 means no time limit. Absent means the broker's default. */
    public OptionalLong retentionMs() {
        String v = configs.get("retention.ms");
        return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
    }

    /** {@code message.timestamp.type}; CreateTime on every Pulse topic (Event Hubs must keep the producer's timestamps). */
    public String timestampType() {
        return configs.getOrDefault("message.timestamp.type", "CreateTime");
    }
}
