package io.pulse.api.insights;

import io.javalin.http.NotFoundResponse;
import io.pulse.api.query.LocalRead;
import io.pulse.api.query.Readiness;
import io.pulse.api.query.StateStores;
import io.pulse.api.query.StoreReads;
import io.pulse.api.query.WindowFinality;
import io.pulse.api.routing.Answer;
import io.pulse.api.routing.IncomingRequest;
import io.pulse.api.routing.QueryRouter;
import io.pulse.api.routing.RequestForwarder;
import io.pulse.common.topics.StoreNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@link InsightsQueries} over Kafka Streams' interactive queries: each answer is routed ({@link QueryRouter}),
 * read from one store ({@link StoreReads}), and says how fresh it is ({@link Freshness}) and which of its windows
 * are final ({@link WindowFinality}, against the tenant's newest event time). Until {@link #attach}, every query
 * answers 503.
 */
public final class RoutedInsightsQueries implements InsightsQueries {
    private final StateStores stores;
    private final StoreReads reads;
    private final QueryRouter router;
    private final FreshnessLookup freshness;
    private final WindowFinality finality;
    private final Clock clock;

    public RoutedInsightsQueries(WindowFinality finality, RequestForwarder forwarder, Clock clock) {
        this.stores = new StateStores(clock);
        this.reads = new StoreReads(stores);
        this.router = new QueryRouter(stores, forwarder);
        this.freshness = new FreshnessLookup(stores, reads, forwarder);
        this.finality = finality;
        this.clock = clock;
    }

    /**
     * Starts answering from {@code streams}.
     *
     * @param applicationServer this instance's {@code host:port}, as given to Kafka Streams' {@code application.server}
     */
    public void attach(KafkaStreams streams, String applicationServer) {
        stores.attach(streams, applicationServer);
    }

    @Override
    public Answer metrics(IncomingRequest request, MetricsQuery q) {
        boolean perStore = q.perStoreAndChannel();
        return router.answer(request, q.window().metricsStore(perStore), q.tenant(), read -> {
            var rows = perStore
                    ? reads.storeChannelMetrics(read, q.tenant(), q.window(), q.store(), q.channel(), q.from(), q.to())
                    : reads.tenantMetrics(read, q.tenant(), q.window(), q.from(), q.to());
            Instant streamTime = streamTime(request, q.tenant());
            return MetricsResponse.of(q, perStore, rows, finalAtEnd(q.window().size(), streamTime), freshness(streamTime, read));
        });
    }

    @Override
    public Answer topProducts(IncomingRequest request, TopProductsQuery q) {
        String store = q.window().topProductsStore().orElseThrow(() -> new IllegalArgumentException("no top products of " + q.window()));
        return router.answer(request, store, q.tenant(), read -> {
            var rows = reads.topProducts(read, q.tenant(), q.window(), q.from(), q.to());
            Instant streamTime = streamTime(request, q.tenant());
            return TopProductsResponse.of(q, rows, finalAtEnd(q.window().size(), streamTime), freshness(streamTime, read));
        });
    }

    @Override
    public Answer activeCustomers(IncomingRequest request, String tenant, Instant from, Instant to) {
        return router.answer(request, StoreNames.ACTIVE_CUSTOMERS, tenant, read -> {
            var rows = reads.activeCustomers(read, tenant, from, to);
            Instant streamTime = streamTime(request, tenant);
            return ActiveCustomersResponse.of(tenant, from, to, rows, finalAtEnd(StoreReads.DAY, streamTime), freshness(streamTime, read));
        });
    }

    @Override
    public Answer profile(IncomingRequest request, String tenant, String customerId) {
        return router.answer(request, StoreNames.CUSTOMER_PROFILES, tenant, read -> {
            var profile = reads.profile(read, tenant, customerId).orElseThrow(() -> new NotFoundResponse(
                    "tenant '" + tenant + "' has no known customer '" + customerId + "' (profiles exist for customers with at least one event)"));
            return ProfileResponse.of(tenant, customerId, profile, freshness(streamTime(request, tenant), read));
        });
    }

    @Override
    public Answer alerts(IncomingRequest request, String tenant, int limit) {
        return router.answer(request, StoreNames.RECENT_ALERTS, tenant, read ->
                AlertsResponse.of(tenant, limit, reads.recentAlerts(read, tenant, limit), freshness(streamTime(request, tenant), read)));
    }

    @Override
    public Answer freshness(IncomingRequest request, String tenant) {
        return router.answer(request, StoreNames.SPINE_TENANT_COUNTERS, tenant, read ->
                new FreshnessResponse(tenant, freshness(reads.newestEventTime(read, tenant).orElse(null), read)));
    }

    @Override
    public Readiness readiness() {
        return stores.readiness();
    }

    private Instant streamTime(IncomingRequest request, String tenant) {
        return freshness.newestEventTime(request, tenant).orElse(null);
    }

    private Predicate<Instant> finalAtEnd(Duration size, Instant streamTime) {
        return end -> finality.isFinal(size, end, streamTime);
    }

    private Freshness freshness(Instant newestEventTime, LocalRead read) {
        return Freshness.of(newestEventTime, read, clock.instant());
    }
}
