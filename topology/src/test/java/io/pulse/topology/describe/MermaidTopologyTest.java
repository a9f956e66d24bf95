package io.pulse.topology.describe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class MermaidTopologyTest {

    /** events → (repartition) → count in a store → counts topic, plus a global table: two sub-topologies and a global store. */
    private static TopologyDescription sample() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("pulse.events.v1", Consumed.with(Serdes.String(), Serdes.String()).withName("events-source"))
                .selectKey((k, v) -> v, Named.as("by-value"))
                .repartition(Repartitioned.<String, String>as("counts-by-value").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                .groupByKey(Grouped.with("counts-grouped", Serdes.String(), Serdes.String()))
                .count(Named.as("count"), Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("value-counts-v1")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("count-updates"))
                .to("pulse.counts.v1", Produced.with(Serdes.String(), Serdes.Long()).withName("counts-sink"));
        builder.globalTable("pulse.stores.v1", Consumed.with(Serdes.String(), Serdes.String()).withName("stores-source"),
                Materialized.as("stores-global-v1"));
        return builder.build().describe();
    }

    @Test
    void drawsEachSubtopologyAsABoxWithItsProcessorsAndStores() {
        TopologyDescription description = sample();
        int global = description.globalStores().iterator().next().id();

        List<String> lines = lines(MermaidTopology.render(description));

        assertThat(lines.get(0)).isEqualTo("flowchart LR");
        assertThat(lines).containsSubsequence(
                "  subgraph sub_subtopology_0[\"Sub-topology 0\"]",
                "    node_events_source[\"events-source\"]",
                "  end",
                "  subgraph sub_subtopology_1[\"Sub-topology 1\"]",
                "    node_count[\"count\"]",
                "    store_value_counts_v1[(\"value-counts-v1\")]",
                "  end",
                "  subgraph sub_global_store_" + global + "[\"Global store " + global + "\"]",
                "    store_stores_global_v1[(\"stores-global-v1\")]",
                "  end");
    }

    @Test
    void connectsSubtopologiesThroughTheTopicsBetweenThem() {
        List<String> lines = lines(MermaidTopology.render(sample()));

        assertThat(lines).contains(
                "  topic_pulse_events_v1[/\"pulse.events.v1\"/]",
                "  topic_pulse_events_v1 --> node_events_source",
                "  node_events_source --> node_by_value",
                "  node_counts_by_value_repartition_sink --> topic_counts_by_value_repartition",
                "  topic_counts_by_value_repartition --> node_counts_by_value_repartition_source",
                "  node_count -.- store_value_counts_v1",
                "  node_counts_sink --> topic_pulse_counts_v1",
                "  topic_pulse_stores_v1 --> node_stores_source_source",
                "  node_stores_source -.- store_stores_global_v1");
    }

    @Test
    void declaresEveryNodeItLinksAndEachTopicOnce() {
        String mermaid = MermaidTopology.render(sample());
        List<String> lines = lines(mermaid);

        List<String> declared = lines.stream().filter(l -> l.matches("\\s+\\w+\\[.*")).map(l -> l.trim().split("\\[")[0]).toList();
        List<String> linked = lines.stream().filter(l -> l.contains("-->") || l.contains("-.-"))
                .flatMap(l -> Arrays.stream(l.trim().split("\\s+(-->|-\\.-)\\s+"))).distinct().toList();
        assertThat(declared).doesNotHaveDuplicates().containsAll(linked);
        assertThat(mermaid).isEqualTo(MermaidTopology.render(sample()));
    }

    @Test
    void keepsIdsApartWhenNamesDifferOnlyInPunctuation() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("a.b", Consumed.with(Serdes.String(), Serdes.String()).withName("source-1"))
                .to("a-b", Produced.with(Serdes.String(), Serdes.String()).withName("sink-1"));

        List<String> lines = lines(MermaidTopology.render(builder.build().describe()));

        String dotted = declaredId(lines, "[/\"a.b\"/]");
        String dashed = declaredId(lines, "[/\"a-b\"/]");
        assertThat(dotted).isNotEqualTo(dashed).startsWith("topic_a_b");
        assertThat(dashed).startsWith("topic_a_b");
        assertThat(lines).contains("  " + dotted + " --> node_source_1", "  node_sink_1 --> " + dashed);
    }

    private static String declaredId(List<String> lines, String shape) {
        return lines.stream().filter(l -> l.endsWith(shape)).map(l -> l.trim().replace(shape, "")).findFirst().orElseThrow();
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }
}
