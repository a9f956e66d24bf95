package io.pulse.api.health;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.pulse.api.insights.InsightsQueries;
import io.pulse.api.query.Readiness;
import java.util.Map;

/**
 * Liveness (the process answers) and readiness (Kafka Streams is running, or rebalancing while holding tasks: see
 * {@link io.pulse.api.query.StateStores#readiness()}).
 */
public final class HealthController {
    private final InsightsQueries queries;

    public HealthController(InsightsQueries queries) {
        this.queries = queries;
    }

    public void live(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }

    public void ready(Context ctx) {
        Readiness readiness = queries.readiness();
        ctx.status(readiness.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(Map.of("status", readiness.ready() ? "UP" : "DOWN", "streams", readiness.streamsState()));
    }
}
