package io.pulse.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
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
        MetricsController metrics = new MetricsController(queries, clock);
        HealthController health = new HealthController(queries);
        ObjectMapper json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(json, false));
            config.startup.showJavalinBanner = false;
            config.routes.get("/api/v1/tenants/{tenant}/metrics", metrics::getTenantMetrics);
            config.routes.get("/health/live", health::live);
            config.routes.get("/health/ready", health::ready);
            ApiErrors.register(config);
        });
    }
}
