package io.pulse.topology.describe;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.internals.InternalTopicConfig;
import org.apache.kafka.streams.processor.internals.InternalTopologyBuilder;

/**
 * The one place that reads Kafka Streams' internals: what internal topics a topology needs and with which
 * configuration, exactly as Kafka Streams computes them before it creates them.
 *
 * <p>Why internals: the public {@link org.apache.kafka.streams.TopologyDescription} names stores and repartition
 * topics but says nothing about a store's kind (key-value, window, session), its retention or whether its changelog
 * is enabled, so the changelog topics and their {@code retention.ms} cannot be derived from it. Kafka Streams itself
 * takes them from {@link InternalTopologyBuilder#subtopologyToTopicsInfo()} and
 * {@link InternalTopicConfig#properties(Map, long)}; reading the same keeps the plan equal to what Streams creates
 * (an IT checks it against a real broker). If a Kafka upgrade moves these, only this class breaks, and loudly.
 */
final class StreamsInternalTopics {

    /** An internal topic as Streams declares it: name with the application id, a fixed partition count if any, its configs. */
    record InternalTopic(String name, Optional<Integer> enforcedPartitions, Map<String, String> configs) {
    }

    /** One sub-topology's topics, names decorated with the application id. */
    record SubtopologyTopics(Set<String> sources, Set<String> sinks,
                             List<InternalTopic> changelogs, List<InternalTopic> repartitions) {
    }

    /** What Streams will create for a topology: sub-topologies' topics and the co-partitioned groups of source topics. */
    record Internals(List<SubtopologyTopics> subtopologies, List<Set<String>> copartitionGroups) {
    }

    private StreamsInternalTopics() {
    }

    /**
     * @param topology          a topology not yet given to KafkaStreams (its builder is configured here for the application id)
     * @param streamsProperties the properties Kafka Streams runs with (application id, {@code topic.*} defaults,
     *                          {@code windowstore.changelog.additional.retention.ms})
     */
    static Internals of(Topology topology, Properties streamsProperties) {
        Properties p = new Properties();
        p.putAll(streamsProperties);
        p.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        StreamsConfig config = new StreamsConfig(p);
        InternalTopologyBuilder builder = builderOf(topology);
        builder.rewriteTopology(config);
        // Building the processors is what records which stores log to a changelog (Streams builds before it assigns).
        builder.buildTopology();

        Map<String, String> topicDefaults = new TreeMap<>();
        config.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX).forEach((k, v) -> topicDefaults.put(k, String.valueOf(v)));
        long additionalRetention = config.getLong(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG);

        List<SubtopologyTopics> subtopologies = new ArrayList<>();
        builder.subtopologyToTopicsInfo().values().forEach(info -> subtopologies.add(new SubtopologyTopics(
                new TreeSet<>(info.sourceTopics),
                new TreeSet<>(info.sinkTopics),
                internal(info.nonSourceChangelogTopics(), topicDefaults, additionalRetention),
                internal(info.repartitionSourceTopics.values(), topicDefaults, additionalRetention))));
        List<Set<String>> copartitioned = builder.copartitionGroups().stream()
                .<Set<String>>map(TreeSet::new).toList();
        return new Internals(List.copyOf(subtopologies), copartitioned);
    }

    private static List<InternalTopic> internal(Collection<InternalTopicConfig> configs, Map<String, String> defaults, long additionalRetention) {
        return configs.stream()
                .map(c -> new InternalTopic(c.name(),
                        c.hasEnforcedNumberOfPartitions() ? c.numberOfPartitions() : Optional.empty(),
                        new TreeMap<>(c.properties(defaults, additionalRetention))))
                .sorted(Comparator.comparing(InternalTopic::name))
                .toList();
    }

    private static InternalTopologyBuilder builderOf(Topology topology) {
        try {
            Field field = Topology.class.getDeclaredField("internalTopologyBuilder");
            field.setAccessible(true);
            return (InternalTopologyBuilder) field.get(topology);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read Kafka Streams' internal topics of the topology (Topology.internalTopologyBuilder);"
                    + " has the Kafka Streams version changed? " + e, e);
        }
    }
}
