package io.pulse.topology.stages;

import io.pulse.avro.Channel;
import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.Envelope;
import io.pulse.avro.Purchase;
import io.pulse.avro.ShopperSession;
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
import java.util.EnumSet;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.SessionStore;

/**
 * Shopping sessions: each shopper's events of one tenant, split where the shopper was inactive for
 * longer than {@link TopologySettings#sessionInactivityGap()} of event time (a pause of exactly the gap
 * still joins, as Kafka's session windows do). The shopper is the customer id, or the session id of an
 * anonymous visitor; an event with neither belongs to no session and is left to the other stages.
 *
 * <p>Produces: the queryable session store {@link StoreNames#SHOPPER_SESSIONS} (key
 * {@code tenant/customer/<id>} or {@code tenant/anonymous/<session id>}), and on
 * {@link TopicCatalogue#SESSIONS} a provisional record at every change plus one final record per
 * session once no on-time event can reach it any more. An out-of-order event that falls between two
 * sessions merges them ({@link #merge}); the merged-away sessions get no final record.
 */
public final class SessionStage implements EngagementStage {
    private static final String NAME = "sessions";
    private static final String CUSTOMER = "customer";
    private static final String ANONYMOUS = "anonymous";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySettings settings = context.settings();
        TopologySerdes serdes = context.serdes();
        Serde<EnrichedEvent> eventSerde = serdes.values(EnrichedEvent.class);

        KTable<Windowed<String>, ShopperSession> sessions = events
                .filter((tenant, e) -> shopperOf(e.getEvent()) != null, Named.as(NAME + "-with-shopper"))
                .selectKey((tenant, e) -> TenantKeys.of(tenant, shopperOf(e.getEvent())), Named.as(NAME + "-key-by-shopper"))
                // Keyed tenant/shopper but still partitioned by tenant: a retailer's events keep their order.
                .repartition(Repartitioned.<String, EnrichedEvent>as(NAME + "-by-shopper")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(eventSerde)
                        .withStreamPartitioner(new TenantPartitioner<>()))
                .groupByKey(Grouped.with(NAME + "-by-shopper-grouped", Serdes.String(), eventSerde))
                .windowedBy(windows(settings))
                .aggregate(SessionStage::empty, SessionStage::add, SessionStage::merge, Named.as(NAME + "-aggregate"),
                        Materialized.<String, ShopperSession, SessionStore<Bytes, byte[]>>as(StoreNames.SHOPPER_SESSIONS)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(serdes.values(ShopperSession.class))
                                .withRetention(retention(settings)));

        sessions.toStream(Named.as(NAME + "-updates"))
                // A session merged into a bigger one is deleted (null); its successor is published instead.
                .filter((session, value) -> value != null, Named.as(NAME + "-skip-merged"))
                .map((session, value) -> record(session, value, false), Named.as(NAME + "-provisional"))
                .to(TopicCatalogue.SESSIONS.name(), produced(serdes).withName(NAME + "-provisional-sink"));
        sessions.suppress(Suppressed.<Windowed<String>>untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName(NAME + "-until-closed"))
                .toStream(Named.as(NAME + "-closed"))
                .map((session, value) -> record(session, value, true), Named.as(NAME + "-final"))
                .to(TopicCatalogue.SESSIONS.name(), produced(serdes).withName(NAME + "-final-sink"));
    }

    /**
     * Session windows with the inactivity gap and the window grace plus one millisecond. Kafka closes a
     * session (its final record) once stream time reaches end + gap + grace, but an event exactly at
     * end + gap still joins it, and the lateness gate lets such an event through while stream time is
     * end + gap + grace. The extra millisecond means no on-time event can reach a session after its
     * final record, and still no on-time event is ever dropped.
     */
    static SessionWindows windows(TopologySettings settings) {
        return SessionWindows.ofInactivityGapAndGrace(settings.sessionInactivityGap(), settings.windowGrace().plusMillis(1));
    }

    private static Duration retention(TopologySettings settings) {
        Duration minimum = settings.sessionInactivityGap().plus(settings.windowGrace()).plusMillis(1);
        return settings.storeRetention().compareTo(minimum) < 0 ? minimum : settings.storeRetention();
    }

    private static Produced<String, ShopperSession> produced(TopologySerdes serdes) {
        return Produced.with(Serdes.String(), serdes.valuesOf(TopicCatalogue.SESSIONS))
                .withStreamPartitioner(new TenantPartitioner<>());
    }

    /** {@code customer/<id>}, {@code anonymous/<session id>}, or null for an event with neither. */
    static String shopperOf(Envelope e) {
        if (e.getCustomerId() != null) {
            return TenantKeys.of(CUSTOMER, e.getCustomerId());
        }
        return e.getSessionId() == null ? null : TenantKeys.of(ANONYMOUS, e.getSessionId());
    }

    /** Key {@code tenant/<shopper>/<session start>}: one key per session. */
    static KeyValue<String, ShopperSession> record(Windowed<String> session, ShopperSession value, boolean isFinal) {
        Instant start = session.window().startTime();
        Instant end = session.window().endTime();
        ShopperSession out = ShopperSession.newBuilder(value)
                .setSessionStart(start)
                .setSessionEnd(end)
                .setDurationMs(Duration.between(start, end).toMillis())
                .setFinal$(isFinal)
                .build();
        return KeyValue.pair(TenantKeys.of(session.key(), start.toString()), out);
    }

    /** The aggregate before its first event: no events, so {@link #add} and {@link #merge} replace every field. */
    static ShopperSession empty() {
        return ShopperSession.newBuilder()
                .setTenant("")
                .setShopperKey("")
                .setCustomerId(null)
                .setSessionStart(Instant.EPOCH)
                .setSessionEnd(Instant.EPOCH)
                .setDurationMs(0)
                .setFirstChannel(Channel.OTHER)
                .setChannels(List.of())
                .setStoreId(null)
                .setEvents(0)
                .setPageViews(0)
                .setProductViews(0)
                .setCartAdds(0)
                .setPurchases(0)
                .setRevenue(List.of())
                .setConverted(false)
                .setFinal$(false)
                .build();
    }

    /** The session with one more event (in any order: the first channel and store follow the earliest event). */
    static ShopperSession add(String key, EnrichedEvent enriched, ShopperSession session) {
        Envelope e = enriched.getEvent();
        Instant t = e.getEventTime();
        boolean first = session.getEvents() == 0;
        ShopperSession.Builder b = ShopperSession.newBuilder(session)
                .setEvents(session.getEvents() + 1)
                .setChannels(union(session.getChannels(), List.of(e.getChannel())));
        if (first) {
            b.setTenant(e.getTenant()).setShopperKey(shopperOf(e)).setCustomerId(e.getCustomerId());
        }
        if (first || t.isBefore(session.getSessionStart())) {
            b.setSessionStart(t).setFirstChannel(e.getChannel()).setStoreId(e.getStoreId());
        }
        if (first || t.isAfter(session.getSessionEnd())) {
            b.setSessionEnd(t);
        }
        switch (e.getEventType()) {
            case PAGE_VIEW -> b.setPageViews(session.getPageViews() + 1);
            case PRODUCT_VIEW -> b.setProductViews(session.getProductViews() + 1);
            case ADD_TO_CART -> b.setCartAdds(session.getCartAdds() + 1);
            default -> {
                // purchases are counted from their payload below; OTHER events count only in events
            }
        }
        if (e.getPayload() instanceof Purchase p) {
            b.setPurchases(session.getPurchases() + 1)
                    .setRevenue(CurrencyTotals.add(session.getRevenue(), p.getTotal()))
                    .setConverted(true);
        }
        return withDuration(b);
    }

    /**
     * Two sessions of one shopper joined by an event between them: counts and revenue add up, the
     * first channel and store come from the earlier one. Kafka starts a merge from {@link #empty()}.
     */
    static ShopperSession merge(String key, ShopperSession a, ShopperSession b) {
        if (a.getEvents() == 0) {
            return b;
        }
        if (b.getEvents() == 0) {
            return a;
        }
        ShopperSession earlier = b.getSessionStart().isBefore(a.getSessionStart()) ? b : a;
        ShopperSession.Builder m = ShopperSession.newBuilder(earlier)
                .setCustomerId(a.getCustomerId() != null ? a.getCustomerId() : b.getCustomerId())
                .setSessionEnd(a.getSessionEnd().isAfter(b.getSessionEnd()) ? a.getSessionEnd() : b.getSessionEnd())
                .setChannels(union(a.getChannels(), b.getChannels()))
                .setEvents(a.getEvents() + b.getEvents())
                .setPageViews(a.getPageViews() + b.getPageViews())
                .setProductViews(a.getProductViews() + b.getProductViews())
                .setCartAdds(a.getCartAdds() + b.getCartAdds())
                .setPurchases(a.getPurchases() + b.getPurchases())
                .setRevenue(CurrencyTotals.merge(a.getRevenue(), b.getRevenue()))
                .setConverted(a.getConverted() || b.getConverted());
        return withDuration(m);
    }

    private static ShopperSession withDuration(ShopperSession.Builder b) {
        return b.setDurationMs(Duration.between(b.getSessionStart(), b.getSessionEnd()).toMillis()).build();
    }

    /** Each channel once, in declaration order. */
    private static List<Channel> union(List<Channel> a, List<Channel> b) {
        EnumSet<Channel> all = EnumSet.noneOf(Channel.class);
        all.addAll(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
