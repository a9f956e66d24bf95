package io.pulse.topology.describe;

import io.pulse.common.topics.Topic;
import io.pulse.topology.describe.PlannedTopic.Kind;
import io.pulse.topology.describe.StreamsInternalTopics.InternalTopic;
import io.pulse.topology.describe.StreamsInternalTopics.Internals;
import io.pulse.topology.describe.StreamsInternalTopics.SubtopologyTopics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Every topic Pulse needs and every consumer group it runs, derived from code: the catalogue's topics as declared,
 * and the changelog and repartition topics of the built topology as Kafka Streams itself would create them (names
 * {@code <application.id>-<name>-changelog|-repartition}, configs from Streams' own internal topic configs, partitions
 * as Streams computes them: a repartition topic gets the partition count of the topics its writers read, a changelog
 * the task count of its sub-topology).
 *
 * <p>Event Hubs does not create topics on demand, so this plan is what gets provisioned (Bicep, {@code pulse topics
 * create}); nothing here is maintained by hand.
 *
 * @param topics catalogue topics in catalogue order, then changelogs and repartition topics by name
 * @param groups consumer groups by id
 */
public record TopicPlan(String applicationId, List<PlannedTopic> topics, List<PlannedGroup> groups) {

    public TopicPlan {
        topics = List.copyOf(topics);
        groups = groups.stream().sorted(Comparator.comparing(PlannedGroup::groupId)).toList();
    }

    /**
     * @param topology          the topology as the configuration builds it (fresh: not yet given to KafkaStreams)
     * @param streamsProperties the properties Kafka Streams runs with; {@code application.id} is required
     * @param catalogue         the topics Pulse declares (sources of the topology must be among them)
     * @param otherGroups       consumer groups outside Kafka Streams (the lake sink)
     */
    public static TopicPlan derive(Topology topology, Properties streamsProperties, List<Topic<?, ?>> catalogue,
                                   List<PlannedGroup> otherGroups) {
        String applicationId = Objects.requireNonNull(streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                "streams properties need " + StreamsConfig.APPLICATION_ID_CONFIG);
        Internals internals = StreamsInternalTopics.of(topology, streamsProperties);

        Map<String, Integer> partitions = new HashMap<>();
        List<PlannedTopic> topics = new ArrayList<>();
        for (Topic<?, ?> t : catalogue) {
            partitions.put(t.name(), t.partitions());
            topics.add(new PlannedTopic(t.name(), Kind.CATALOGUE, t.partitions(), t.configs(), t.description()));
        }
        resolveRepartitionPartitions(internals, partitions);

        Map<String, PlannedTopic> internalTopics = new TreeMap<>();
        Set<String> streamsReads = new TreeSet<>();
        for (SubtopologyTopics sub : internals.subtopologies()) {
            streamsReads.addAll(sub.sources());
            int tasks = sub.sources().stream().mapToInt(s -> known(partitions, s)).max()
                    .orElseThrow(() -> new IllegalStateException("a sub-topology without source topics: " + sub));
            for (InternalTopic c : sub.changelogs()) {
                internalTopics.put(c.name(), new PlannedTopic(c.name(), Kind.CHANGELOG, tasks, c.configs(),
                        changelogDescription(applicationId, c)));
            }
            for (InternalTopic r : sub.repartitions()) {
                internalTopics.put(r.name(), new PlannedTopic(r.name(), Kind.REPARTITION, known(partitions, r.name()), r.configs(),
                        "Records re-keyed by the topology, read back by the next sub-topology; Kafka Streams purges them once committed."));
            }
        }
        topics.addAll(internalTopics.values());

        List<PlannedGroup> groups = new ArrayList<>(otherGroups);
        groups.add(new PlannedGroup(applicationId, List.copyOf(streamsReads),
                "Kafka Streams (insights): the topology's source and repartition topics."));
        return new TopicPlan(applicationId, topics, groups);
    }

    /** The planned topic of that name. */
    public PlannedTopic topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no topic '" + name + "' in the plan"));
    }

    public List<PlannedTopic> topics(Kind kind) {
        return topics.stream().filter(t -> t.kind() == kind).toList();
    }

    public int totalPartitions() {
        return topics.stream().mapToInt(PlannedTopic::partitions).sum();
    }

    /**
     * Repartition topics take a fixed count when the topology sets one, else the largest partition count of the
     * topics read by the sub-topologies writing to them; co-partitioned groups then agree on one count, as Streams'
     * own assignor does (repartition topics follow the group's other topics).
     */
    private static void resolveRepartitionPartitions(Internals internals, Map<String, Integer> partitions) {
        Map<String, InternalTopic> repartitions = new LinkedHashMap<>();
        internals.subtopologies().forEach(s -> s.repartitions().forEach(r -> repartitions.put(r.name(), r)));
        repartitions.values().forEach(r -> r.enforcedPartitions().ifPresent(n -> partitions.put(r.name(), n)));
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String topic : repartitions.keySet()) {
                if (partitions.containsKey(topic)) {
                    continue;
                }
                List<SubtopologyTopics> writers = internals.subtopologies().stream().filter(s -> s.sinks().contains(topic)).toList();
                if (writers.isEmpty()) {
                    throw new IllegalStateException("repartition topic " + topic + " has no writer in the topology");
                }
                if (writers.stream().allMatch(w -> partitions.keySet().containsAll(w.sources()))) {
                    int n = writers.stream().flatMap(w -> w.sources().stream()).mapToInt(partitions::get).max().orElseThrow();
                    partitions.put(topic, n);
                    progress = true;
                }
            }
        }
        for (Set<String> group : internals.copartitionGroups()) {
            List<String> free = group.stream().filter(t -> repartitions.containsKey(t)
                    && repartitions.get(t).enforcedPartitions().isEmpty()).toList();
            if (free.isEmpty()) {
                continue;
            }
            List<String> fixed = group.stream().filter(t -> !free.contains(t)).toList();
            int n = (fixed.isEmpty() ? free : fixed).stream().mapToInt(t -> known(partitions, t)).max().orElseThrow();
            free.forEach(t -> partitions.put(t, n));
        }
    }

    private static int known(Map<String, Integer> partitions, String topic) {
        Integer n = partitions.get(topic);
        if (n == null) {
            throw new IllegalStateException("the topology reads topic " + topic
                    + ", which is neither in the topic catalogue nor a repartition topic whose partitions can be derived");
        }
        return n;
    }

    private static String changelogDescription(String applicationId, InternalTopic changelog) {
        String store = changelog.name().substring(applicationId.length() + 1, changelog.name().length() - "-changelog".length());
        String policy = changelog.configs().get("cleanup.policy");
        return policy.contains("delete")
                ? "Changelog of window/session store " + store + ": restores it; records older than the store's retention are deleted."
                : "Changelog of state store " + store + ": restores it; compacted to the latest value per key.";
    }
}
