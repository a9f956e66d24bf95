package io.pulse.api.health;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.pulse.api.query.MetricsQueries;
import java.util.Map;

/** Liveness (the process answers) and readiness (the state can be queried). */
public final class HealthController {
    private final MetricsQueries queries;

    public HealthController(MetricsQueries queries) {
        this.queries = queries;
    }

    public void live(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }

    public void ready(Context ctx) {
        boolean ready = queries.isQueryable();
        ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(Map.of("status", ready ? "UP" : "DOWN"));
    }
}
