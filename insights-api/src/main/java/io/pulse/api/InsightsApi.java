package io.pulse.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.pulse.api.health.HealthController;
import io.pulse.api.http.ApiErrors;
import io.pulse.api.metrics.MetricsController;
import io.pulse.api.query.MetricsQueries;
import java.time.Clock;

/** Builds the insights API: an unstarted Javalin server whose routes map to controller methods. */
public final class InsightsApi {
    private InsightsApi() {
    }

    public static Javalin create(MetricsQueries queries, Clock clock) {
        return Javalin.create(config -> {
            configureServer(config);
            configure(config, queries, clock);
        });
    }

    /** Server-wide settings: JSON mapping, error answers, no banner. Applied once per app. */
    public static void configureServer(JavalinConfig config) {
        ObjectMapper json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        config.jsonMapper(new JavalinJackson(json, false));
        config.startup.showJavalinBanner = false;
        ApiErrors.register(config);
    }

    /** The insights routes, for an app that also serves other routes (the demo puts ingest on the same port). */
    public static void configure(JavalinConfig config, MetricsQueries queries, Clock clock) {
        MetricsController metrics = new MetricsController(queries, clock);
        HealthController health = new HealthController(queries);
        config.routes.get("/api/v1/tenants/{tenant}/metrics", metrics::getTenantMetrics);
        config.routes.get("/health/live", health::live);
        config.routes.get("/health/ready", health::ready);
    }
}
