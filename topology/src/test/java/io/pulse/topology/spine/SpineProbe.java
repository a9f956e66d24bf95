package io.pulse.topology.spine;

import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.SpineCounters;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import io.pulse.topology.time.EnvelopeTimestampExtractor;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The spine alone, read from the events topic as {@code PulseTopology} reads it, with a probe sink
 * instead of the metric stages: tests see exactly what the stages would get.
 */
final class SpineProbe {
    /** What the spine hands to the metric stages (tests only). */
    static final Topic<String, EnrichedEvent> PASSED = new Topic<>("spine-probe.passed", String.class, EnrichedEvent.class,
            1, Topic.Cleanup.DELETE, Duration.ofDays(1), "The spine's output, for tests.");

    private SpineProbe() {
    }

    static StageTestKit kit(TopologySettings settings) {
        return new StageTestKit(settings, SpineProbe::topology);
    }

    static Topology topology(TopologySettings settings, TopologySerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        var events = builder.stream(TopicCatalogue.EVENTS.name(), Consumed.with(Serdes.String(), serdes.envelopes())
                .withTimestampExtractor(new EnvelopeTimestampExtractor())
                .withName("events-source"));
        Spine.build(new StageContext(builder, settings, serdes), events)
                .to(PASSED.name(), Produced.with(Serdes.String(), serdes.valuesOf(PASSED)).withName("spine-probe-sink"));
        Properties props = new Properties();
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return builder.build(props);
    }

    /** Everything the spine passed since the last call. */
    static List<EnrichedEvent> passed(StageTestKit kit) {
        return kit.output(PASSED).readValuesToList();
    }

    /** The ids of the events the spine passed since the last call, in order. */
    static List<String> passedIds(StageTestKit kit) {
        return passed(kit).stream().map(e -> e.getEvent().getEventId()).toList();
    }

    /** A tenant's counters: rejected, duplicates, late ({@code 0, 0, 0} when the tenant has none). */
    static List<Long> counters(StageTestKit kit, String tenant) {
        SpineCounters c = kit.<SpineCounters>keyValueStore(StoreNames.SPINE_TENANT_COUNTERS).get(tenant);
        return c == null ? List.of(0L, 0L, 0L) : List.of(c.getRejected(), c.getDuplicates(), c.getLate());
    }
}
