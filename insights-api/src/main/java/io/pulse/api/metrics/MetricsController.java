package io.pulse.api.metrics;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.pulse.api.query.MetricsQueries;
import io.pulse.api.query.WindowCount;
import io.pulse.common.config.TenantIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** {@code /api/v1/tenants/{tenant}/metrics}: a tenant's windowed metrics over a time range. */
public final class MetricsController {
    /** Longest range one request may ask for: bounds the work of a single query. */
    public static final Duration MAX_RANGE = Duration.ofHours(24);
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);

    private final MetricsQueries queries;
    private final Clock clock;

    public MetricsController(MetricsQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    public void getTenantMetrics(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        if (!TenantIds.isValid(tenant)) {
            throw new BadRequestResponse("tenant '" + tenant + "' is not a valid tenant id (" + TenantIds.RULE + ")");
        }
        Instant to = instantParam(ctx, "to", clock.instant());
        Instant from = instantParam(ctx, "from", to.minus(DEFAULT_RANGE));
        if (from.isAfter(to)) {
            throw new BadRequestResponse("'from' (" + from + ") must not be after 'to' (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new BadRequestResponse("the range from 'from' to 'to' must be at most " + MAX_RANGE.toHours() + " hours");
        }
        List<WindowCount> windows = queries.eventCounts(tenant, from, to);
        long total = windows.stream().mapToLong(WindowCount::events).sum();
        ctx.json(new TenantMetricsResponse(tenant, "PT1M", from, to, total,
                windows.stream().map(w -> new TenantMetricsResponse.Window(w.start(), w.end(), w.events())).toList()));
    }

    private static Instant instantParam(Context ctx, String name, Instant fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse("'" + name + "' must be an ISO-8601 instant such as 2026-11-21T10:00:00Z, got '" + value + "'");
        }
    }

    /** The JSON answer. */
    public record TenantMetricsResponse(String tenant, String window, Instant from, Instant to, long totalEvents,
                                        List<Window> windows) {
        public record Window(Instant start, Instant end, long events) {
        }
    }
}
