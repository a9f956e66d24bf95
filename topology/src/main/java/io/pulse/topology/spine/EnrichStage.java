package io.pulse.topology.spine;

import io.pulse.avro.Customer;
import io.pulse.avro.CustomerContext;
import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.Envelope;
import io.pulse.avro.Store;
import io.pulse.avro.StoreContext;
import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Last stage of the spine: adds what the reference data says about an event's customer (tier, segment,
 * home store) and store (region, format). An event whose customer or store is anonymous or not (yet)
 * known passes through with {@code known=false}; enrichment never drops or delays an event.
 *
 * <h2>Customers: a partitioned table, looked up in place</h2>
 * {@link TopicCatalogue#CUSTOMERS} is compacted, keyed {@code tenant/customer} and, like every Pulse
 * topic, partitioned by the tenant alone, with as many partitions as the events topic. It is read as a
 * {@code KTable} materialized in {@value #CUSTOMERS_STORE}, and a processor on the event stream reads
 * that store ({@code processValues(..., CUSTOMERS_STORE)}). Connecting the store puts the table's
 * source and the events in one sub-topology, so task <i>n</i> reads partition <i>n</i> of both topics:
 * a tenant's customers are in the store of the task that processes the tenant's events.
 * <ul>
 *   <li>Why not a KStream-KTable join: it needs the stream keyed like the table, so every event would be
 *       re-keyed to {@code tenant/customer} and repartitioned, a second copy of the stream on the broker,
 *       interleaved with other tasks' records, only to be re-keyed back to the tenant afterwards.</li>
 *   <li>Why not a global table: customers are many (millions per retailer); every instance would hold
 *       and restore all of them. Each instance holds only its partitions' customers.</li>
 *   <li>What it relies on: the two topics keep the same partition count (both are
 *       {@link TopicCatalogue#DEFAULT_PARTITIONS}; provisioning must keep them equal) and customer
 *       records are partitioned by tenant ({@link io.pulse.topology.time.TenantPartitioner},
 *       {@link TenantKeys#partition}); a customer written to another partition is never found and its
 *       events pass as unknown.</li>
 *   <li>Semantics: the lookup sees the table as it is when the event is processed, the latest known
 *       attributes; a customer update is seen by every event processed after it.</li>
 * </ul>
 *
 * <h2>Stores: a global table</h2>
 * {@link TopicCatalogue#STORES} (few records: a retailer has stores by the hundred, not the million) is read as a
 * {@code GlobalKTable} ({@value #STORES_STORE}) that every instance holds in full and loads before it
 * processes events, and joined with the key mapper {@code tenant/store}: no co-partitioning needed.
 * A left join: events without a store, or with a store not in the table, pass with {@code known=false}.
 */
public final class EnrichStage {
    static final String NAME = "spine-enrich";
    /** Key-value store of the customers table: {@code tenant/customer} to Customer. */
    public static final String CUSTOMERS_STORE = "spine-enrich-customers-v1";
    /** Key-value store of the global stores table: {@code tenant/store} to Store. */
    public static final String STORES_STORE = "spine-enrich-stores-v1";

    /** The events with their customer and store context, keyed and partitioned by tenant as they came. */
    public KStream<String, EnrichedEvent> build(StageContext context, KStream<String, Envelope> onTimeEvents) {
        TopologySerdes serdes = context.serdes();
        context.builder().table(TopicCatalogue.CUSTOMERS.name(),
                Consumed.with(Serdes.String(), serdes.valuesOf(TopicCatalogue.CUSTOMERS)).withName(NAME + "-customers"),
                Materialized.<String, Customer, KeyValueStore<Bytes, byte[]>>as(CUSTOMERS_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serdes.valuesOf(TopicCatalogue.CUSTOMERS)));
        GlobalKTable<String, Store> stores = context.builder().globalTable(TopicCatalogue.STORES.name(),
                Consumed.with(Serdes.String(), serdes.valuesOf(TopicCatalogue.STORES)).withName(NAME + "-stores"),
                Materialized.<String, Store, KeyValueStore<Bytes, byte[]>>as(STORES_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serdes.valuesOf(TopicCatalogue.STORES)));

        return onTimeEvents
                .processValues(CustomerLookup::new, Named.as(NAME + "-customer"), CUSTOMERS_STORE)
                .leftJoin(stores, EnrichStage::storeKey, EnrichStage::withStore, Named.as(NAME + "-store"));
    }

    /** {@code tenant/store}, or null (no match) for an event without a store. */
    private static String storeKey(String tenant, EnrichedEvent enriched) {
        String storeId = enriched.getEvent().getStoreId();
        return storeId == null ? null : TenantKeys.of(tenant, storeId);
    }

    private static EnrichedEvent withStore(EnrichedEvent enriched, Store store) {
        if (store == null) {
            return enriched;
        }
        return EnrichedEvent.newBuilder()
                .setEvent(enriched.getEvent())
                .setCustomer(enriched.getCustomer())
                .setStore(StoreContext.newBuilder().setKnown(true).setRegion(store.getRegion()).setFormat(store.getFormat()).build())
                .build();
    }

    /** Wraps the event with its customer's context, as the customers table knows it now. */
    private static final class CustomerLookup implements FixedKeyProcessor<String, Envelope, EnrichedEvent> {
        private FixedKeyProcessorContext<String, EnrichedEvent> context;
        private TimestampedKeyValueStore<String, Customer> customers;

        @Override
        public void init(FixedKeyProcessorContext<String, EnrichedEvent> context) {
            this.context = context;
            this.customers = context.getStateStore(CUSTOMERS_STORE);
        }

        @Override
        public void process(FixedKeyRecord<String, Envelope> record) {
            Envelope event = record.value();
            Customer customer = event.getCustomerId() == null ? null
                    : ValueAndTimestamp.getValueOrNull(customers.get(TenantKeys.of(event.getTenant(), event.getCustomerId())));
            CustomerContext known = customer == null
                    ? CustomerContext.newBuilder().setKnown(false).build()
                    : CustomerContext.newBuilder().setKnown(true).setTier(customer.getTier()).setSegment(customer.getSegment())
                            .setHomeStoreId(customer.getHomeStoreId()).build();
            context.forward(record.withValue(EnrichedEvent.newBuilder()
                    .setEvent(event)
                    .setCustomer(known)
                    .setStore(StoreContext.newBuilder().setKnown(false).build())
                    .build()));
        }
    }
}
