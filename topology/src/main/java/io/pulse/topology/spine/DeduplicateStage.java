package io.pulse.topology.spine;

import io.pulse.avro.Envelope;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TenantKeys;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.spine.TenantCounterStore.Counter;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Second stage of the spine: drops an event whose id was already seen within
 * {@link TopologySettings#dedupHorizon()} and counts it per tenant in
 * {@link StoreNames#SPINE_TENANT_COUNTERS} (a source retrying, at-least-once delivery, a replayed file).
 *
 * <p>Seen ids are kept in the persistent window store {@value #SEEN_STORE}, at their event time, with
 * the horizon as retention: the store forgets ids by itself, and an event counts as a repeat when its id
 * is stored within the horizon before or after its own event time. Keys are {@code tenant/event-id}
 * (lower case): events are keyed and partitioned by tenant, so all of a tenant's ids are in one task,
 * and one tenant's ids can never suppress another tenant's events.
 *
 * <p>The horizon must be at least the window grace: a repeat that comes later than the horizon is then
 * also older than the grace, and the lateness gate downstream sends it to the late-events topic instead
 * of letting it count twice.
 */
public final class DeduplicateStage {
    static final String NAME = "spine-dedup";
    /** Window store: {@code tenant/event-id} to the ingestion time (epoch ms) of its first copy. */
    public static final String SEEN_STORE = "spine-dedup-seen-event-ids-v1";

    /** The first copy of each event id within the horizon. */
    public KStream<String, Envelope> build(StageContext context, KStream<String, Envelope> validEvents) {
        TopologySettings settings = context.settings();
        Duration horizon = settings.dedupHorizon();
        if (horizon.isNegative() || horizon.isZero() || horizon.compareTo(settings.windowGrace()) < 0) {
            throw new IllegalArgumentException("the de-duplication horizon must be positive and at least the window grace ("
                    + settings.windowGrace() + "), got " + horizon);
        }
        context.builder().addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_STORE, horizon, horizon, false), Serdes.String(), Serdes.Long()));
        return validEvents.processValues(() -> new FirstCopyOnly(horizon.toMillis()), Named.as(NAME + "-first-copy-only"),
                SEEN_STORE, StoreNames.SPINE_TENANT_COUNTERS);
    }

    private static final class FirstCopyOnly implements FixedKeyProcessor<String, Envelope, Envelope> {
        private final long horizonMs;
        private FixedKeyProcessorContext<String, Envelope> context;
        private WindowStore<String, Long> seen;
        private TenantCounterStore counters;

        FirstCopyOnly(long horizonMs) {
            this.horizonMs = horizonMs;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Envelope> context) {
            this.context = context;
            this.seen = context.getStateStore(SEEN_STORE);
            this.counters = TenantCounterStore.of(context);
        }

        @Override
        public void process(FixedKeyRecord<String, Envelope> record) {
            Envelope event = record.value();
            String id = TenantKeys.of(event.getTenant(), event.getEventId().toLowerCase(Locale.ROOT));
            long eventTime = event.getEventTime().toEpochMilli();
            boolean repeat;
            try (WindowStoreIterator<Long> earlier = seen.fetch(id, eventTime - horizonMs, eventTime + horizonMs)) {
                repeat = earlier.hasNext();
            }
            if (repeat) {
                counters.increment(event.getTenant(), Counter.DUPLICATES);
                return;
            }
            seen.put(id, event.getIngestionTime().toEpochMilli(), eventTime);
            context.forward(record);
        }
    }
}
