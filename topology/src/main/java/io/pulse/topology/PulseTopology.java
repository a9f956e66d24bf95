package io.pulse.topology;

import io.pulse.avro.CustomerContext;
import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.Envelope;
import io.pulse.avro.StoreContext;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.stages.TenantEventCountStage;
import io.pulse.topology.time.EnvelopeTimestampExtractor;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Assembles Pulse's topology: the spine that every event passes (validate, de-duplicate, lateness
 * gate, enrich), then the engagement stages, each reading the enriched stream.
 *
 * <p>Adding a metric means adding an {@link EngagementStage} and one line in {@link #STAGES}.
 */
public final class PulseTopology {

    /** The metrics, one line each. */
    static final List<EngagementStage> STAGES = List.of(
            new TenantEventCountStage());

    private PulseTopology() {
    }

    public static Topology build(TopologySettings settings, TopologySerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        StageContext context = new StageContext(builder, settings, serdes);

        KStream<String, Envelope> events = builder.stream(TopicCatalogue.EVENTS.name(),
                Consumed.with(Serdes.String(), serdes.envelopes())
                        .withTimestampExtractor(new EnvelopeTimestampExtractor())
                        .withName("events-source"));

        // The spine.
        KStream<String, EnrichedEvent> enriched = events.mapValues(PulseTopology::unenriched, Named.as("spine-unenriched"));

        for (EngagementStage stage : STAGES) {
            stage.build(context, enriched);
        }

        Properties namingCheck = new Properties();
        // Refuse generated names for internal topics and stores: they would break saved state when the topology changes.
        namingCheck.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        namingCheck.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return builder.build(namingCheck);
    }

    /** Until the enrich stage is in place: the event with unknown customer and store. */
    private static EnrichedEvent unenriched(Envelope e) {
        return EnrichedEvent.newBuilder().setEvent(e)
                .setCustomer(CustomerContext.newBuilder().setKnown(false).build())
                .setStore(StoreContext.newBuilder().setKnown(false).build())
                .build();
    }
}
