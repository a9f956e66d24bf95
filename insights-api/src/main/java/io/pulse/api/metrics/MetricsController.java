package io.pulse.api.metrics;

import io.javalin.http.Context;
import io.pulse.api.limits.QueryRange;
import io.pulse.api.insights.InsightsQueries;
import io.pulse.api.insights.MetricsQuery;
import io.pulse.api.insights.RequestParams;
import io.pulse.api.query.WindowSize;
import io.pulse.api.routing.IncomingRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;

/**
 * {@code GET /api/v1/tenants/{tenant}/metrics?window=PT1M|PT5M|PT1H&store=&channel=&from=&to=}: a tenant's windowed
 * metrics over a time range, tenant-wide, or per store and channel when either is given.
 */
public final class MetricsController {
    /** Longest range of 1- and 5-minute windows one request may ask for: bounds the work of a single query. */
    public static final Duration MAX_RANGE = Duration.ofHours(24);
    /** Longest range of hourly windows. */
    public static final Duration MAX_HOURLY_RANGE = Duration.ofDays(7);
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    static final Duration DEFAULT_HOURLY_RANGE = Duration.ofDays(1);

    private final InsightsQueries queries;
    private final Clock clock;

    public MetricsController(InsightsQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    public void getTenantMetrics(Context ctx) {
        String tenant = RequestParams.tenant(ctx);
        WindowSize window = RequestParams.window(ctx, WindowSize.PT1M, EnumSet.allOf(WindowSize.class));
        QueryRange range = window == WindowSize.PT1H
                ? RequestParams.range(ctx, clock, DEFAULT_HOURLY_RANGE, MAX_HOURLY_RANGE)
                : RequestParams.range(ctx, clock, DEFAULT_RANGE, MAX_RANGE);
        MetricsQuery query = new MetricsQuery(tenant, window, RequestParams.store(ctx), RequestParams.channel(ctx), range.from(), range.to());
        queries.metrics(IncomingRequest.of(ctx), query).writeTo(ctx);
    }
}
