package io.pulse.topology.stages;

import io.pulse.avro.CustomerProfile;
import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.Envelope;
import io.pulse.avro.Purchase;
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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The engagement profile of each known customer (events with a customer id; anonymous visitors have
 * none): recency (last activity), frequency (orders, active days), monetary value (revenue per
 * currency, exact), the RFM scores and segment of {@link RfmScoring}, and churn risk: no activity for
 * longer than {@link TopologySettings#churnAfter()}.
 *
 * <p>Produces: the queryable key-value store {@link StoreNames#CUSTOMER_PROFILES} (key
 * {@code tenant/customer}) and its every change on the compacted topic {@link TopicCatalogue#CUSTOMER_PROFILES}.
 *
 * <p><b>What "now" is.</b> Recency, the segment and churn risk depend on the current time; here that is
 * stream time (the latest event time the task has seen), never the wall clock. Replaying a backlog or
 * restoring after an outage then gives the same profiles as processing live, and nobody is flagged
 * as churning merely because Pulse was down. A customer's own event re-evaluates their profile at
 * once; everyone else's is re-evaluated by a stream-time punctuator every {@link #evaluationInterval}
 * (an hour, or the churn period if shorter), which emits only the profiles whose scores, segment or
 * churn risk changed. So churn risk turns on at the first evaluation after the churn period, at most
 * one interval late. The price: stream time moves only with events, so a partition with no events at
 * all re-evaluates nothing until its next event. Each evaluation scans the task's profiles once.
 */
public final class CustomerProfileStage implements EngagementStage {
    private static final String NAME = "customer-profiles";
    private static final Duration MAX_EVALUATION_INTERVAL = Duration.ofHours(1);
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySettings settings = context.settings();
        TopologySerdes serdes = context.serdes();
        Serde<CustomerProfile> profileSerde = serdes.valuesOf(TopicCatalogue.CUSTOMER_PROFILES);

        events.filter((tenant, e) -> e.getEvent().getCustomerId() != null, Named.as(NAME + "-known-customers"))
                .selectKey((tenant, e) -> TenantKeys.of(tenant, e.getEvent().getCustomerId()), Named.as(NAME + "-key-by-customer"))
                // Keyed tenant/customer but still partitioned by tenant: a retailer's events keep their order.
                .repartition(Repartitioned.<String, EnrichedEvent>as(NAME + "-by-customer")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serdes.values(EnrichedEvent.class))
                        .withStreamPartitioner(new TenantPartitioner<>()))
                .process(new Updater(settings, profileSerde), Named.as(NAME + "-update"))
                .to(TopicCatalogue.CUSTOMER_PROFILES.name(), Produced.with(Serdes.String(), profileSerde)
                        .withStreamPartitioner(new TenantPartitioner<>())
                        .withName(NAME + "-sink"));
    }

    /** How often, in stream time, every profile is re-evaluated: hourly, or every churn period if that is shorter. */
    static Duration evaluationInterval(Duration churnAfter) {
        Duration floor = Duration.ofSeconds(1);
        Duration interval = churnAfter.compareTo(MAX_EVALUATION_INTERVAL) < 0 ? churnAfter : MAX_EVALUATION_INTERVAL;
        return interval.compareTo(floor) < 0 ? floor : interval;
    }

    /**
     * The profile with one more event of its customer, evaluated as of {@code now}. {@code grace} is the
     * window grace: no on-time event is older than now - grace, so only the active days since then are
     * kept to tell whether an event's day is already counted.
     */
    static CustomerProfile apply(CustomerProfile current, Envelope e, Instant now, Duration grace, Duration churnAfter) {
        Instant t = e.getEventTime();
        CustomerProfile.Builder b = current != null ? CustomerProfile.newBuilder(current) : CustomerProfile.newBuilder()
                .setTenant(e.getTenant())
                .setCustomerId(e.getCustomerId())
                .setFirstSeen(t)
                .setLastActivity(t)
                .setLastOrder(null)
                .setEvents(0)
                .setOrders(0)
                .setActiveDays(0)
                .setRecentActiveDays(List.of())
                .setRevenue(List.of());
        b.setEvents(b.getEvents() + 1);
        if (t.isBefore(b.getFirstSeen())) {
            b.setFirstSeen(t);
        }
        if (t.isAfter(b.getLastActivity())) {
            b.setLastActivity(t);
        }

        int horizon = epochDay(now.minus(grace));
        int day = epochDay(t);
        TreeSet<Integer> recentDays = new TreeSet<>(b.getRecentActiveDays());
        if (!recentDays.contains(day) && (day >= horizon || current == null)) {
            // An older day of a known customer may have been counted and forgotten; the lateness gate keeps such events out.
            b.setActiveDays(b.getActiveDays() + 1);
            recentDays.add(day);
        }
        b.setRecentActiveDays(List.copyOf(recentDays.tailSet(horizon, true)));

        if (e.getPayload() instanceof Purchase p) {
            b.setOrders(b.getOrders() + 1).setRevenue(CurrencyTotals.add(b.getRevenue(), p.getTotal()));
            if (b.getLastOrder() == null || t.isAfter(b.getLastOrder())) {
                b.setLastOrder(t);
            }
        }
        return evaluated(b, now, churnAfter);
    }

    /** The profile as of {@code now}: the same instance if its scores, segment and churn risk still hold. */
    static CustomerProfile reevaluate(CustomerProfile p, Instant now, Duration churnAfter) {
        RfmScoring.Rfm rfm = RfmScoring.score(p.getLastActivity(), now, p.getOrders(), p.getRevenue());
        boolean unchanged = rfm.recency() == p.getRecencyScore() && rfm.frequency() == p.getFrequencyScore()
                && rfm.monetary() == p.getMonetaryScore() && rfm.segment() == p.getSegment()
                && churnRisk(p.getLastActivity(), now, churnAfter) == p.getChurnRisk();
        return unchanged ? p : evaluated(CustomerProfile.newBuilder(p), now, churnAfter);
    }

    /** At risk when the customer has been inactive for longer than the churn period. */
    static boolean churnRisk(Instant lastActivity, Instant now, Duration churnAfter) {
        return Duration.between(lastActivity, now).compareTo(churnAfter) > 0;
    }

    private static CustomerProfile evaluated(CustomerProfile.Builder b, Instant now, Duration churnAfter) {
        RfmScoring.Rfm rfm = RfmScoring.score(b.getLastActivity(), now, b.getOrders(), b.getRevenue());
        return b.setRecencyScore(rfm.recency())
                .setFrequencyScore(rfm.frequency())
                .setMonetaryScore(rfm.monetary())
                .setSegment(rfm.segment())
                .setChurnRisk(churnRisk(b.getLastActivity(), now, churnAfter))
                .setAsOf(now)
                .build();
    }

    private static int epochDay(Instant t) {
        return Math.toIntExact(Math.floorDiv(t.toEpochMilli(), DAY_MS));
    }

    /** The profile processor and its store. */
    private static final class Updater implements ProcessorSupplier<String, EnrichedEvent, String, CustomerProfile> {
        private final TopologySettings settings;
        private final Serde<CustomerProfile> profileSerde;

        Updater(TopologySettings settings, Serde<CustomerProfile> profileSerde) {
            this.settings = settings;
            this.profileSerde = profileSerde;
        }

        @Override
        public Processor<String, EnrichedEvent, String, CustomerProfile> get() {
            return new ProfileProcessor(settings.windowGrace(), settings.churnAfter());
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.CUSTOMER_PROFILES),
                    Serdes.String(), profileSerde));
        }
    }

    private static final class ProfileProcessor implements Processor<String, EnrichedEvent, String, CustomerProfile> {
        private final Duration grace;
        private final Duration churnAfter;
        private ProcessorContext<String, CustomerProfile> context;
        private KeyValueStore<String, CustomerProfile> profiles;

        ProfileProcessor(Duration grace, Duration churnAfter) {
            this.grace = grace;
            this.churnAfter = churnAfter;
        }

        @Override
        public void init(ProcessorContext<String, CustomerProfile> context) {
            this.context = context;
            this.profiles = context.getStateStore(StoreNames.CUSTOMER_PROFILES);
            context.schedule(evaluationInterval(churnAfter), PunctuationType.STREAM_TIME, this::reevaluateAll);
        }

        @Override
        public void process(Record<String, EnrichedEvent> record) {
            Instant now = Instant.ofEpochMilli(Math.max(context.currentStreamTimeMs(), record.timestamp()));
            CustomerProfile updated = apply(profiles.get(record.key()), record.value().getEvent(), now, grace, churnAfter);
            profiles.put(record.key(), updated);
            context.forward(record.withValue(updated));
        }

        private void reevaluateAll(long streamTime) {
            Instant now = Instant.ofEpochMilli(streamTime);
            try (KeyValueIterator<String, CustomerProfile> all = profiles.all()) {
                while (all.hasNext()) {
                    KeyValue<String, CustomerProfile> entry = all.next();
                    CustomerProfile evaluated = reevaluate(entry.value, now, churnAfter);
                    if (evaluated != entry.value) {
                        profiles.put(entry.key, evaluated);
                        context.forward(new Record<>(entry.key, evaluated, streamTime));
                    }
                }
            }
        }
    }
}
