package io.pulse.api.insights;

import io.pulse.api.query.Readiness;
import io.pulse.api.routing.Answer;
import io.pulse.api.routing.IncomingRequest;
import java.time.Instant;

/**
 * The API's one way to the topology's state: each method answers one route for one tenant, from the instance that
 * owns the tenant's data or, failing that, from a copy here (see {@link io.pulse.api.routing.QueryRouter}). Request
 * handlers see this, never Kafka Streams.
 *
 * <p>Every method throws {@link io.pulse.api.query.StoreUnavailableException} (503 with {@code Retry-After}) when no
 * instance can answer now.
 */
public interface InsightsQueries {

    Answer metrics(IncomingRequest request, MetricsQuery query);

    Answer topProducts(IncomingRequest request, TopProductsQuery query);

    /** UTC days starting in {@code [from, to]}. */
    Answer activeCustomers(IncomingRequest request, String tenant, Instant from, Instant to);

    /** 404 when the tenant has no such known customer. */
    Answer profile(IncomingRequest request, String tenant, String customerId);

    /** At most {@code limit} of the tenant's latest alerts. */
    Answer alerts(IncomingRequest request, String tenant, int limit);

    Answer freshness(IncomingRequest request, String tenant);

    /** Whether this instance should receive traffic now. */
    Readiness readiness();
}
