package io.pulse.api.routing;

import io.pulse.api.query.LocalRead;
import io.pulse.api.query.Placement;
import io.pulse.api.query.StateStores;
import io.pulse.api.query.StoreUnavailableException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides which instance answers a query of one tenant's partition of a store, in this order:
 * <ol>
 *   <li>this instance, when it is the partition's active host and its copy can be read;</li>
 *   <li>the active host, when that is another instance and this request was not forwarded already: the request
 *       goes there and its answer comes back as is, unless it could not be reached or answered 503;</li>
 *   <li>this instance's stale copy (a standby, or its active copy while restoring), saying so and how far behind
 *       it is, when the active host is unknown (rebalancing), unreachable, unable to answer, or this request was
 *       forwarded here but this instance no longer owns the partition;</li>
 *   <li>nobody: 503 with {@code Retry-After} (the active host's own 503 when it gave one).</li>
 * </ol>
 */
public final class QueryRouter {
    private final StateStores stores;
    private final RequestForwarder forwarder;

    public QueryRouter(StateStores stores, RequestForwarder forwarder) {
        this.stores = stores;
        this.forwarder = forwarder;
    }

    /**
     * The answer to {@code request}, which reads the tenant's partition of {@code store}.
     *
     * @param local computes the body from this instance's copy, read as the given {@link LocalRead} says
     * @throws StoreUnavailableException when no instance can answer now
     */
    public Answer answer(IncomingRequest request, String store, String tenant, Function<LocalRead, Object> local) {
        Placement where = stores.placement(store, tenant);
        String self = stores.selfName();
        StoreUnavailableException activeFailure = null;
        Optional<Answer.Relayed> ownersRefusal = Optional.empty();
        if (where.isActiveAt(stores.self())) {
            try {
                return new Answer.Local(local.apply(LocalRead.active(where.partition(), self)));
            } catch (StoreUnavailableException e) {
                activeFailure = e; // owned here but not readable now (restoring, rebalancing): the stale copy may be
            }
        } else if (where.active().isPresent() && !request.forwarded()) {
            Optional<Answer.Relayed> answer = forwarder.forward(where.active().get(), request);
            if (answer.isPresent() && answer.get().status() != 503) {
                return answer.get();
            }
            ownersRefusal = answer;
        }
        try {
            Long lag = stores.lagRecords(store, where.partition()).orElse(null);
            return new Answer.Local(local.apply(LocalRead.stale(where.partition(), lag, self)));
        } catch (StoreUnavailableException e) {
            activeFailure = e; // no copy here either
        }
        if (ownersRefusal.isPresent()) {
            return ownersRefusal.get();
        }
        throw new StoreUnavailableException("No instance can answer for tenant '" + tenant + "' now: " + reason(where, request)
                + "; try again shortly", StateStores.RETRY_AFTER, activeFailure);
    }

    private static String reason(Placement where, IncomingRequest request) {
        if (where.active().isEmpty()) {
            return "its data is being reassigned between instances and this one holds no copy";
        }
        return request.forwarded() ? "this instance was asked by another but holds no copy of it"
                : "its owner " + where.active().get().host() + ":" + where.active().get().port() + " does not answer and this instance holds no copy";
    }
}
