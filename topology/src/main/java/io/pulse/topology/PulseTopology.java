package io.pulse.topology;

import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.Envelope;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.spine.Spine;
import io.pulse.topology.stages.ActiveCustomersStage;
import io.pulse.topology.stages.AlertsStage;
import io.pulse.topology.stages.BasketSizeStage;
import io.pulse.topology.stages.CustomerProfileStage;
import io.pulse.topology.stages.RecentAlertsStage;
import io.pulse.topology.stages.SessionStage;
import io.pulse.topology.stages.TopProductsStage;
import io.pulse.topology.stages.WindowedMetricsStage;
import io.pulse.topology.time.EnvelopeTimestampExtractor;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;

/**
 * Assembles Pulse's topology: the spine that every event passes (validate, de-duplicate, lateness
 * gate, enrich), then the engagement stages, each reading the enriched stream.
 *
 * <p>Adding a metric means adding an {@link EngagementStage} and one line in {@link #STAGES}.
 */
public final class PulseTopology {

    /** The metrics, one line each. */
    static final List<EngagementStage> STAGES = List.of(
            new SessionStage(),
            new CustomerProfileStage(),
            new WindowedMetricsStage(),
            new TopProductsStage(),
            new ActiveCustomersStage(),
            new BasketSizeStage(),
            new AlertsStage(),
            new RecentAlertsStage());

    private PulseTopology() {
    }

    public static Topology build(TopologySettings settings, TopologySerdes serdes) {
        return build(settings, serdes, STAGES);
    }

    /** The spine followed by the given stages (tests use this to check rules every stage must keep). */
    static Topology build(TopologySettings settings, TopologySerdes serdes, List<EngagementStage> stages) {
        StreamsBuilder builder = new StreamsBuilder(namingChecked());
        StageContext context = new StageContext(builder, settings, serdes);

        KStream<String, Envelope> events = builder.stream(TopicCatalogue.EVENTS.name(),
                Consumed.with(Serdes.String(), serdes.envelopes())
                        .withTimestampExtractor(new EnvelopeTimestampExtractor())
                        .withName("events-source"));

        // The spine: validate → de-duplicate → lateness gate → enrich.
        KStream<String, EnrichedEvent> enriched = Spine.build(context, events);

        for (EngagementStage stage : stages) {
            stage.build(context, enriched);
        }
        return builder.build();
    }

    /**
     * Topology-level configuration that makes the builder refuse generated names for internal topics
     * and stores (they would break saved state when the topology changes). Kafka applies this check
     * only through the builder's TopologyConfig, not through {@code build(props)} or KafkaStreams'
     * properties; the application id and bootstrap servers here only satisfy StreamsConfig and are
     * never used to connect.
     */
    private static TopologyConfig namingChecked() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "pulse-topology-definition");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return new TopologyConfig(new StreamsConfig(p));
    }
}
