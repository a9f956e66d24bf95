package io.pulse.topology.spine;

import io.pulse.avro.SpineCounters;
import io.pulse.common.topics.StoreNames;
import io.pulse.topology.TopologySerdes;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The spine's per-tenant counters of events kept away from the metrics (rejected, duplicates, late),
 * and the tenant's newest event time, in one queryable key-value store, {@link StoreNames#SPINE_TENANT_COUNTERS}: key the tenant, value
 * {@link SpineCounters}. The validate, de-duplicate and lateness-gate processors all write to it; they
 * sit in the same sub-topology (nothing between them repartitions), so one store instance per task
 * serves all three and a tenant's counts live in its events' task.
 */
public final class TenantCounterStore {

    /** Which count to raise. */
    public enum Counter {
        REJECTED, DUPLICATES, LATE
    }

    private final KeyValueStore<String, SpineCounters> store;

    private TenantCounterStore(KeyValueStore<String, SpineCounters> store) {
        this.store = store;
    }

    /** The store's builder: added once by {@link Spine}, connected by name to the processors that count. */
    static StoreBuilder<KeyValueStore<String, SpineCounters>> builder(TopologySerdes serdes) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SPINE_TENANT_COUNTERS),
                        Serdes.String(), serdes.values(SpineCounters.class))
                // Many increments of one tenant between commits become one changelog record.
                .withCachingEnabled();
    }

    /** The store as seen by a processor connected to it (call in {@code init}). */
    static TenantCounterStore of(FixedKeyProcessorContext<?, ?> context) {
        return new TenantCounterStore(context.getStateStore(StoreNames.SPINE_TENANT_COUNTERS));
    }

    void increment(String tenant, Counter counter) {
        SpineCounters current = store.get(tenant);
        SpineCounters.Builder next = current == null ? SpineCounters.newBuilder() : SpineCounters.newBuilder(current);
        switch (counter) {
            case REJECTED -> next.setRejected(next.getRejected() + 1);
            case DUPLICATES -> next.setDuplicates(next.getDuplicates() + 1);
            case LATE -> next.setLate(next.getLate() + 1);
        }
        store.put(tenant, next.build());
    }

    /**
     * Raises the tenant's newest event time to {@code eventTime} if it is later: the tenant's stream time, which
     * the insights API reads to say how fresh an answer is and whether a window is final.
     */
    void advanceNewestEventTime(String tenant, Instant eventTime) {
        SpineCounters current = store.get(tenant);
        if (current != null && current.getNewestEventTime() != null && !eventTime.isAfter(current.getNewestEventTime())) {
            return;
        }
        SpineCounters.Builder next = current == null ? SpineCounters.newBuilder() : SpineCounters.newBuilder(current);
        store.put(tenant, next.setNewestEventTime(eventTime).build());
    }
}
