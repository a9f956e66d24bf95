package io.pulse.topology.describe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.Topic.Cleanup;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.describe.PlannedTopic.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

class TopicPlanTest {
    private static final Topic<String, String> INPUT = new Topic<>("in.v1", String.class, String.class, 6, Cleanup.DELETE,
            Duration.ofDays(1), "input");
    private static final Topic<String, String> OUTPUT = new Topic<>("out.v1", String.class, String.class, 2, Cleanup.DELETE,
            Duration.ofDays(1), "output");

    private static Properties streams(String applicationId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        return p;
    }

    /**
     * in.v1 (6 partitions) → count per key (KV store) and 1h windows (window store, retention 3h), then re-keyed
     * twice: once with a fixed count of 3, once derived.
     */
    private static Topology sample() {
        StreamsBuilder builder = new StreamsBuilder();
        var in = builder.stream(INPUT.name(), Consumed.with(Serdes.String(), Serdes.String()).withName("in-source"));
        var grouped = in.groupByKey(Grouped.with("by-key", Serdes.String(), Serdes.String()));
        grouped.count(Named.as("count"), Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts-v1")
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        grouped.windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofHours(1), Duration.ofMinutes(5)))
                .count(Named.as("hourly"), Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("hourly-v1")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()).withRetention(Duration.ofHours(3)));
        in.selectKey((k, v) -> v, Named.as("by-value"))
                .repartition(Repartitioned.<String, String>as("fixed").withNumberOfPartitions(3)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                .selectKey((k, v) -> k + v, Named.as("by-both"))
                .repartition(Repartitioned.<String, String>as("derived").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                .to(OUTPUT.name(), Produced.with(Serdes.String(), Serdes.String()).withName("out-sink"));
        return builder.build();
    }

    private static TopicPlan samplePlan() {
        return TopicPlan.derive(sample(), streams("app"), List.of(INPUT, OUTPUT),
                List.of(new PlannedGroup("sink-group", List.of(OUTPUT.name()), "reads the output")));
    }

    @Test
    void keyValueStoreChangelogIsCompactedWithTheSourcePartitions() {
        PlannedTopic changelog = samplePlan().topic("app-counts-v1-changelog");

        assertThat(changelog.kind()).isEqualTo(Kind.CHANGELOG);
        assertThat(changelog.partitions()).isEqualTo(6);
        assertThat(changelog.cleanupPolicy()).isEqualTo("compact");
        assertThat(changelog.retentionMs()).isEmpty();
        assertThat(changelog.timestampType()).isEqualTo("CreateTime");
        assertThat(changelog.description()).contains("counts-v1");
    }

    @Test
    void windowStoreChangelogKeepsTheStoreRetentionPlusStreamsAdditionalRetention() {
        PlannedTopic changelog = samplePlan().topic("app-hourly-v1-changelog");

        assertThat(changelog.cleanupPolicy()).isEqualTo("compact,delete");
        assertThat(changelog.compacted()).isTrue();
        assertThat(changelog.deletesByAge()).isTrue();
        assertThat(changelog.retentionMs()).hasValue(Duration.ofHours(3).plusHours(24).toMillis());
    }

    @Test
    void additionalWindowRetentionComesFromTheStreamsProperties() {
        Properties p = streams("app");
        p.put(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG, Duration.ofHours(1).toMillis());

        TopicPlan plan = TopicPlan.derive(sample(), p, List.of(INPUT, OUTPUT), List.of());

        assertThat(plan.topic("app-hourly-v1-changelog").retentionMs()).hasValue(Duration.ofHours(4).toMillis());
    }

    @Test
    void repartitionTopicsTakeTheFixedCountOrTheCountOfWhatTheirWriterReads() {
        TopicPlan plan = samplePlan();

        assertThat(plan.topic("app-fixed-repartition").partitions()).isEqualTo(3);
        // written by the sub-topology reading app-fixed-repartition (3 partitions), not in.v1 (6)
        assertThat(plan.topic("app-derived-repartition").partitions()).isEqualTo(3);
        assertThat(plan.topic("app-derived-repartition").kind()).isEqualTo(Kind.REPARTITION);
        assertThat(plan.topic("app-derived-repartition").cleanupPolicy()).isEqualTo("delete");
        assertThat(plan.topic("app-derived-repartition").retentionMs()).hasValue(-1L);
    }

    @Test
    void catalogueTopicsComeFirstInOrderThenInternalTopicsByName() {
        assertThat(samplePlan().topics()).extracting(PlannedTopic::name).containsExactly(
                "in.v1", "out.v1", "app-counts-v1-changelog", "app-derived-repartition", "app-fixed-repartition", "app-hourly-v1-changelog");
    }

    @Test
    void streamsGroupReadsSourceAndRepartitionTopicsNextToTheOtherGroups() {
        TopicPlan plan = samplePlan();

        assertThat(plan.groups()).extracting(PlannedGroup::groupId).containsExactly("app", "sink-group");
        assertThat(plan.groups().get(0).topics()).containsExactly("app-derived-repartition", "app-fixed-repartition", "in.v1");
    }

    @Test
    void aSourceTopicMissingFromTheCatalogueIsNamed() {
        assertThatThrownBy(() -> TopicPlan.derive(sample(), streams("app"), List.of(OUTPUT), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in.v1");
    }

    private static TopicPlan pulsePlan(String applicationId) {
        TopologySerdes serdes = new TopologySerdes(new SerdeFactory(new InMemorySchemaRegistryClient()));
        return TopicPlan.derive(PulseTopology.build(TopologySettings.defaults(), serdes), streams(applicationId),
                TopicCatalogue.all(), List.of());
    }

    @Test
    void pulsePlanHoldsTheCatalogueAndAChangelogForEveryNamedStoreUnderTheApplicationId() {
        TopicPlan plan = pulsePlan("pulse-x");

        assertThat(plan.topics(Kind.CATALOGUE)).extracting(PlannedTopic::name)
                .containsExactlyElementsOf(TopicCatalogue.all().stream().map(Topic::name).toList());
        assertThat(plan.topics(Kind.CHANGELOG)).extracting(PlannedTopic::name).contains(
                "pulse-x-" + StoreNames.SPINE_TENANT_COUNTERS + "-changelog",
                "pulse-x-" + StoreNames.SHOPPER_SESSIONS + "-changelog",
                "pulse-x-" + StoreNames.WINDOWED_METRICS_TENANT_1M + "-changelog",
                "pulse-x-" + StoreNames.ACTIVE_CUSTOMERS_DAILY + "-changelog");
        assertThat(plan.topics(Kind.REPARTITION)).isNotEmpty();
        assertThat(plan.topics()).filteredOn(t -> t.kind() != Kind.CATALOGUE)
                .allSatisfy(t -> assertThat(t.name()).startsWith("pulse-x-"));
    }

    @Test
    void pulseInternalTopicsHaveTheEventsTopicsPartitionsAndWindowedOnesOutliveTheirStores() {
        TopicPlan plan = pulsePlan("pulse-insights");

        assertThat(plan.topics()).filteredOn(t -> t.kind() != Kind.CATALOGUE)
                .allSatisfy(t -> assertThat(t.partitions()).isEqualTo(TopicCatalogue.EVENTS.partitions()));
        assertThat(plan.topic("pulse-insights-" + StoreNames.WINDOWED_METRICS_TENANT_1H + "-changelog").retentionMs().orElseThrow())
                .isGreaterThanOrEqualTo(TopologySettings.defaults().storeRetention().plusHours(24).toMillis());
        assertThat(plan.topic("pulse-insights-" + StoreNames.SHOPPER_SESSIONS + "-changelog").cleanupPolicy()).isEqualTo("compact,delete");
        assertThat(plan.topic("pulse-insights-" + StoreNames.CUSTOMER_PROFILES + "-changelog").cleanupPolicy()).isEqualTo("compact");
    }

    @Test
    void pulseStreamsGroupReadsEventsButNotTheGlobalStoresTopic() {
        PlannedGroup streams = pulsePlan("pulse-insights").groups().get(0);

        assertThat(streams.groupId()).isEqualTo("pulse-insights");
        assertThat(streams.topics()).contains(TopicCatalogue.EVENTS.name()).doesNotContain(TopicCatalogue.STORES.name());
    }
}
