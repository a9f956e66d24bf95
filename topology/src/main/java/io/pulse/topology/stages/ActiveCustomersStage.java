package io.pulse.topology.stages;

import io.pulse.avro.ActiveCustomers;
import io.pulse.avro.DailyCustomersState;
import io.pulse.avro.EnrichedEvent;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.EngagementStage;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.time.TenantPartitioner;
import java.time.Duration;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Daily, weekly and monthly active customers per tenant, and the stickiness ratios DAU/WAU and DAU/MAU.
 *
 * <p>Definition, for each UTC day D of a tenant: an active customer is a customer id on any event
 * (anonymous events do not count). DAU = distinct active customers on D; WAU = on the 7 days
 * D-6 .. D; MAU = on the 30 days D-29 .. D (rolling windows ending with D, not calendar weeks or
 * months). Stickiness: DAU/WAU and DAU/MAU. Counts are HyperLogLog estimates, exact up to
 * {@value io.pulse.topology.sketch.DistinctCounts#EXACT_UP_TO} customers (see {@link ActiveCustomersCounts}).
 *
 * <p>Window shapes: one tumbling 1-day window per tenant (grace {@code hourlyWindowGrace}), holding a
 * HyperLogLog of the day's customers ({@link StoreNames#ACTIVE_CUSTOMERS_DAILY}, kept 31 days plus
 * grace). WAU and MAU are the unions of the last 7 and 30 daily sketches, read from that store when
 * day D's value is published. This is the same as rolling 7- and 30-day windows hopping by a day, but
 * each event updates one sketch instead of 38, and state is one small sketch per tenant and day.
 *
 * <p>Grouped by the event key, the tenant: no repartition.
 *
 * <p>Produces on {@link TopicCatalogue#ACTIVE_CUSTOMERS}, keyed {@code tenant/day start}, a provisional
 * record at every update of day D plus one final record once D's grace has passed (then every day of
 * its month is closed, so the final WAU and MAU are final too; a provisional WAU/MAU of D does not
 * see an out-of-order event of an earlier day until D's next update or its final). The latest record
 * of each day is kept in the window store {@link StoreNames#ACTIVE_CUSTOMERS} (tenant, 1-day windows)
 * for queries.
 */
public final class ActiveCustomersStage implements EngagementStage {
    private static final String NAME = "active-customers";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySettings settings = context.settings();
        TopologySerdes serdes = context.serdes();
        Duration grace = settings.hourlyWindowGrace();

        KTable<Windowed<String>, DailyCustomersState> daily = events
                .filter((tenant, e) -> e.getEvent().getCustomerId() != null, Named.as(NAME + "-known-customers"))
                // Events are keyed by tenant (EventKeys): grouping by key needs no repartition.
                .groupByKey(Grouped.with(NAME + "-by-tenant", Serdes.String(), serdes.values(EnrichedEvent.class)))
                .windowedBy(TimeWindows.ofSizeAndGrace(ActiveCustomersCounts.DAY, grace))
                .aggregate(ActiveCustomersCounts::emptyRecord,
                        (tenant, e, day) -> ActiveCustomersCounts.add(e.getEvent().getCustomerId(), day),
                        Named.as(NAME + "-daily"),
                        Materialized.<String, DailyCustomersState, WindowStore<Bytes, byte[]>>as(StoreNames.ACTIVE_CUSTOMERS_DAILY)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(serdes.values(DailyCustomersState.class))
                                // The final of day D reads days D-29 .. D when D closes (D + 1 day + grace).
                                .withRetention(ActiveCustomersCounts.DAY.multipliedBy(ActiveCustomersCounts.MONTH_DAYS + 1).plus(grace)));

        WindowFamily day = WindowFamily.tumbling("1d", ActiveCustomersCounts.DAY, grace);
        StoreBuilder<WindowStore<String, ActiveCustomers>> results = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(StoreNames.ACTIVE_CUSTOMERS, day.retention(settings.storeRetention()), day.size(), false),
                Serdes.String(), serdes.valuesOf(TopicCatalogue.ACTIVE_CUSTOMERS));
        context.builder().addStateStore(results);

        daily.toStream(Named.as(NAME + "-updates"))
                .process(() -> new Rollup(false), Named.as(NAME + "-provisional"), StoreNames.ACTIVE_CUSTOMERS_DAILY, StoreNames.ACTIVE_CUSTOMERS)
                .to(TopicCatalogue.ACTIVE_CUSTOMERS.name(), produced(serdes, NAME + "-provisional-sink"));
        daily.suppress(Suppressed.<Windowed<String>>untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(NAME + "-until-closed"))
                .toStream(Named.as(NAME + "-closed"))
                .process(() -> new Rollup(true), Named.as(NAME + "-final"), StoreNames.ACTIVE_CUSTOMERS_DAILY, StoreNames.ACTIVE_CUSTOMERS)
                .to(TopicCatalogue.ACTIVE_CUSTOMERS.name(), produced(serdes, NAME + "-final-sink"));
    }

    private static Produced<String, ActiveCustomers> produced(TopologySerdes serdes, String name) {
        return Produced.with(Serdes.String(), serdes.valuesOf(TopicCatalogue.ACTIVE_CUSTOMERS))
                .withStreamPartitioner(new TenantPartitioner<>()).withName(name);
    }

    /** {@code tenant/day start}. */
    static String outputKey(ActiveCustomers a) {
        return TenantKeys.of(a.getTenant(), a.getDayStart().toString());
    }

    /** Day D's update to its ActiveCustomers: reads the month's daily sketches, keeps the result for queries, forwards it. */
    private static final class Rollup implements Processor<Windowed<String>, DailyCustomersState, String, ActiveCustomers> {
        private final boolean isFinal;
        private ProcessorContext<String, ActiveCustomers> context;
        private ReadOnlyWindowStore<String, ValueAndTimestamp<DailyCustomersState>> days;
        private WindowStore<String, ActiveCustomers> results;

        Rollup(boolean isFinal) {
            this.isFinal = isFinal;
        }

        @Override
        public void init(ProcessorContext<String, ActiveCustomers> context) {
            this.context = context;
            this.days = context.getStateStore(StoreNames.ACTIVE_CUSTOMERS_DAILY);
            this.results = context.getStateStore(StoreNames.ACTIVE_CUSTOMERS);
        }

        @Override
        public void process(Record<Windowed<String>, DailyCustomersState> record) {
            String tenant = record.key().key();
            Instant dayStart = record.key().window().startTime();
            NavigableMap<Instant, DailyCustomersState> month = new TreeMap<>();
            Instant monthStart = dayStart.minus(ActiveCustomersCounts.DAY.multipliedBy(ActiveCustomersCounts.MONTH_DAYS - 1));
            try (WindowStoreIterator<ValueAndTimestamp<DailyCustomersState>> it = days.fetch(tenant, monthStart, dayStart)) {
                it.forEachRemaining(kv -> month.put(Instant.ofEpochMilli(kv.key), kv.value.value()));
            }
            month.put(dayStart, record.value());
            ActiveCustomers active = ActiveCustomersCounts.rollup(dayStart, month).setTenant(tenant).setFinal$(isFinal).build();
            results.put(tenant, active, dayStart.toEpochMilli());
            context.forward(record.withKey(outputKey(active)).withValue(active));
        }
    }
}
