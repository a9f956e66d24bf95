package io.pulse.api.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.api.query.LocalRead;
import io.pulse.api.query.Placement;
import io.pulse.api.query.StateStores;
import io.pulse.api.query.StoreReads;
import io.pulse.api.query.StoreUnavailableException;
import io.pulse.api.routing.Answer;
import io.pulse.api.routing.IncomingRequest;
import io.pulse.api.routing.RequestForwarder;
import io.pulse.common.topics.StoreNames;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant's newest event time, for an answer computed here: from this instance's copy of the tenant's spine
 * counters (the active copy, else a standby), or else from the instance that owns them, through its freshness
 * route. The data stores of the tenant-wide metrics, top products and active customers share a task with the
 * spine counters, so their answers always find a copy here; the stores behind a repartition (per store and
 * channel, customer profiles, alerts) may live elsewhere. Never fails an answer: when nobody can tell, it is empty.
 */
final class FreshnessLookup {
    private static final Logger log = LoggerFactory.getLogger(FreshnessLookup.class);

    private final StateStores stores;
    private final StoreReads reads;
    private final RequestForwarder forwarder;
    private final ObjectMapper json = new ObjectMapper();

    FreshnessLookup(StateStores stores, StoreReads reads, RequestForwarder forwarder) {
        this.stores = stores;
        this.reads = reads;
        this.forwarder = forwarder;
    }

    Optional<Instant> newestEventTime(IncomingRequest request, String tenant) {
        Placement where;
        try {
            where = stores.placement(StoreNames.SPINE_TENANT_COUNTERS, tenant);
        } catch (StoreUnavailableException e) {
            return Optional.empty();
        }
        String self = stores.selfName();
        if (where.isActiveAt(stores.self())) {
            try {
                return reads.newestEventTime(LocalRead.active(where.partition(), self), tenant);
            } catch (StoreUnavailableException e) {
                // restoring or rebalancing: the copy as it is will do
            }
        }
        try {
            return reads.newestEventTime(LocalRead.stale(where.partition(), null, self), tenant);
        } catch (StoreUnavailableException e) {
            // no copy here
        }
        if (where.active().isEmpty() || where.isActiveAt(stores.self())) {
            return Optional.empty();
        }
        return forwarder.forward(where.active().get(), request.withPathAndQuery(InsightsRoutes.freshnessPath(tenant)))
                .filter(answer -> answer.status() == 200)
                .flatMap(this::newestEventTimeOf);
    }

    private Optional<Instant> newestEventTimeOf(Answer.Relayed answer) {
        try {
            JsonNode newest = json.readTree(answer.body()).path("freshness").path("newestEventTime");
            return newest.isTextual() ? Optional.of(Instant.parse(newest.asText())) : Optional.empty();
        } catch (IOException | DateTimeParseException e) {
            log.warn("Instance {} answered its freshness route with an unreadable body: {}", answer.from(), e.toString());
            return Optional.empty();
        }
    }
}
