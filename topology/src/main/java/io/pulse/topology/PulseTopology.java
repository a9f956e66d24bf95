package io.pulse.topology;

import io.pulse.avro.Envelope;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.stages.TenantEventCountStage;
import io.pulse.topology.time.EnvelopeTimestampExtractor;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;

/**
 * Assembles the stages into Pulse's topology. Adding a metric means adding a stage class and one
 * line in {@link #build}.
 */
public final class PulseTopology {
    private PulseTopology() {
    }

    public static Topology build(TopologySettings settings, TopologySerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Envelope> events = builder.stream(TopicCatalogue.EVENTS.name(),
                Consumed.with(Serdes.String(), serdes.envelopes())
                        .withTimestampExtractor(new EnvelopeTimestampExtractor())
                        .withName("events-source"));

        // The stages, one line each.
        new TenantEventCountStage(settings, serdes).build(events);

        Properties namingCheck = new Properties();
        // Refuse generated names for internal topics and stores: they would break saved state when the topology changes.
        namingCheck.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        namingCheck.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return builder.build(namingCheck);
    }
}
