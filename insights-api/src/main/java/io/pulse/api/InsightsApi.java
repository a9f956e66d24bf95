package io.pulse.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.pulse.api.auth.ApiSecurity;
import io.pulse.api.dashboard.DashboardController;
import io.pulse.api.health.HealthController;
import io.pulse.api.http.ApiErrors;
import io.pulse.api.live.LiveHub;
import io.pulse.api.live.LiveStreamController;
import io.pulse.api.metrics.MetricsController;
import io.pulse.api.openapi.OpenApiController;
import io.pulse.api.insights.InsightsController;
import io.pulse.api.insights.InsightsQueries;
import io.pulse.api.insights.InsightsRoutes;
import java.time.Clock;
import java.time.Duration;

/** Builds the insights API: an unstarted Javalin server whose routes map to controller methods. */
public final class InsightsApi {
    private InsightsApi() {
    }

    /**
     * Server-wide settings plus the API's guards (bearer tokens and tenant access, size and rate limits, audit
     * log) for every path under /api: what every served app uses. Applied once per app, before any route.
     */
    public static void configureServer(JavalinConfig config, ApiSecurity security) {
        configureServerUnguarded(config);
        security.register(config);
    }

    /**
     * Server-wide settings only: JSON mapping, error answers, no banner; WITHOUT the API's guards. For tests
     * that exercise routes in isolation; every served app uses {@link #configureServer(JavalinConfig, ApiSecurity)}.
     */
    public static void configureServerUnguarded(JavalinConfig config) {
        ObjectMapper json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        config.jsonMapper(new JavalinJackson(json, false));
        config.startup.showJavalinBanner = false;
        ApiErrors.register(config);
    }

    /**
     * The live stream ({@code /api/v1/tenants/{tenant}/stream}, fed by {@code hub}), the dashboard page and its
     * assets, and the OpenAPI document: once per app, beside {@link #configure}.
     */
    public static void configureLive(JavalinConfig config, LiveHub hub, Duration heartbeat) {
        LiveStreamController stream = new LiveStreamController(hub, heartbeat);
        OpenApiController openApi = new OpenApiController();
        config.routes.get("/api/v1/tenants/{tenant}/stream", stream::getStream);
        config.routes.get("/api/v1/openapi.json", openApi::getDocument);
        new DashboardController().register(config);
    }

    /** The insights routes and the health routes, readiness being the insights' own (Kafka Streams). */
    public static void configure(JavalinConfig config, InsightsQueries queries, Clock clock) {
        configureQueries(config, queries, clock);
        HealthController health = new HealthController(queries);
        config.routes.get("/health/live", health::live);
        config.routes.get("/health/ready", health::ready);
    }

    /**
     * The insights routes without the health routes, for an app whose readiness covers more than the insights (the
     * launcher serves ingest and the lake sink beside them and answers /health itself).
     */
    public static void configureQueries(JavalinConfig config, InsightsQueries queries, Clock clock) {
        MetricsController metrics = new MetricsController(queries, clock);
        InsightsController insights = new InsightsController(queries, clock);
        config.routes.get(InsightsRoutes.METRICS, metrics::getTenantMetrics);
        config.routes.get(InsightsRoutes.TOP_PRODUCTS, insights::topProducts);
        config.routes.get(InsightsRoutes.ACTIVE_CUSTOMERS, insights::activeCustomers);
        config.routes.get(InsightsRoutes.PROFILE, insights::profile);
        config.routes.get(InsightsRoutes.ALERTS, insights::alerts);
        config.routes.get(InsightsRoutes.FRESHNESS, insights::freshness);
    }
}
