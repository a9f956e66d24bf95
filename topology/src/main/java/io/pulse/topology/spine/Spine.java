package io.pulse.topology.spine;

import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.Envelope;
import io.pulse.common.topics.StoreNames;
import io.pulse.topology.EngagementStage;
import io.pulse.topology.StageContext;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The spine every event passes before the metric stages: validate, de-duplicate, lateness gate,
 * enrich. What leaves it is valid, a first copy, on time, enriched, and still keyed and partitioned by
 * tenant, as {@link EngagementStage} promises; what it keeps away is on the rejects or late-events
 * topic, or counted as a duplicate, per tenant in {@link StoreNames#SPINE_TENANT_COUNTERS}.
 *
 * <p>The order matters. Validation comes first: the others rely on a UUID event id, a tenant equal to
 * the key and sane timestamps. De-duplication comes before the gate, so a late retry of an event is
 * counted as what it is, a duplicate. The gate comes before enrichment and every window (see
 * {@link LatenessGateStage} for why). Nothing in the spine re-keys or repartitions: all of it runs in
 * the task of the events' partition.
 */
public final class Spine {
    private Spine() {
    }

    public static KStream<String, EnrichedEvent> build(StageContext context, KStream<String, Envelope> events) {
        context.builder().addStateStore(TenantCounterStore.builder(context.serdes()));
        KStream<String, Envelope> valid = new ValidateStage().build(context, events);
        KStream<String, Envelope> firstCopies = new DeduplicateStage().build(context, valid);
        KStream<String, Envelope> onTime = new LatenessGateStage().build(context, firstCopies);
        return new EnrichStage().build(context, onTime);
    }
}
