package io.pulse.launcher.topics;

import io.pulse.common.config.Profile;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.LakeSink;
import io.pulse.lake.dataset.LakeDatasets;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.describe.PlannedGroup;
import io.pulse.topology.describe.TopicPlan;
import io.pulse.topology.runtime.StreamsProperties;
import java.util.List;

/**
 * Pulse's {@link TopicPlan} for a configuration: the topology and Streams properties exactly as the running
 * process builds them ({@link PulseTopology}, {@link StreamsProperties}), the catalogue, and the lake sink's group.
 */
public final class PulseTopicPlan {
    private PulseTopicPlan() {
    }

    /**
     * Topics of the configured deployment: on profile local that includes {@link TopicCatalogue#SCHEMAS}, the
     * embedded schema registry's storage; profile eventhubs uses an external registry and does not.
     */
    public static TopicPlan of(PulseConfig config) {
        return derive(config, config.profile() == Profile.LOCAL);
    }

    /** Topics to provision on Event Hubs: the schema registry there is external, so no {@link TopicCatalogue#SCHEMAS}. */
    public static TopicPlan forEventHubs(PulseConfig config) {
        return derive(config, false);
    }

    private static TopicPlan derive(PulseConfig config, boolean embeddedRegistry) {
        // The topology and the lake's datasets only need serdes to exist, not a registry to talk to.
        SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
        var topology = PulseTopology.build(TopologySettings.from(config.engagement()), new TopologySerdes(serdes));
        var streamsProperties = StreamsProperties.of(config, new KafkaClientSettings(config.kafka()), null);
        List<Topic<?, ?>> catalogue = TopicCatalogue.all().stream()
                .filter(t -> embeddedRegistry || t != TopicCatalogue.SCHEMAS)
                .toList();
        PlannedGroup lakeSink = new PlannedGroup(LakeSink.GROUP_ID, LakeDatasets.standard(config.lake(), serdes).topics(),
                "Lake sink: copies its datasets' topics into the lake.");
        return TopicPlan.derive(topology, streamsProperties, catalogue, List.of(lakeSink));
    }
}
