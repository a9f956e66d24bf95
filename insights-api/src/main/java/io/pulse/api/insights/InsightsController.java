package io.pulse.api.insights;

import io.javalin.http.Context;
import io.pulse.api.limits.QueryRange;
import io.pulse.api.query.WindowSize;
import io.pulse.api.routing.IncomingRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;

/**
 * The insights routes but metrics: top products, active customers, a customer's profile, recent alerts and
 * freshness. Each handler checks its parameters and hands the query to {@link InsightsQueries}.
 */
public final class InsightsController {
    /** Alerts listed when {@code limit} is not given. */
    public static final int DEFAULT_ALERTS = 20;
    /** Most alerts one request may list: as many as the recent-alerts store keeps per tenant. */
    public static final int MAX_ALERTS = 100;
    /** Longest range of minute windows one request may ask for: bounds its work. */
    public static final Duration MAX_MINUTES_RANGE = Duration.ofHours(24);
    /** Longest range of hourly and daily windows. */
    public static final Duration MAX_HOURS_RANGE = Duration.ofDays(7);
    private static final Duration MAX_DAYS_RANGE = Duration.ofDays(31);

    private final InsightsQueries queries;
    private final Clock clock;

    public InsightsController(InsightsQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /** {@code ?window=PT1M|PT1H} (default PT1H) {@code &from=&to=} (default: the last hour, or day for PT1H). */
    public void topProducts(Context ctx) {
        String tenant = RequestParams.tenant(ctx);
        WindowSize window = RequestParams.window(ctx, WindowSize.PT1H, EnumSet.of(WindowSize.PT1M, WindowSize.PT1H));
        QueryRange range = window == WindowSize.PT1M
                ? RequestParams.range(ctx, clock, Duration.ofHours(1), MAX_MINUTES_RANGE)
                : RequestParams.range(ctx, clock, Duration.ofDays(1), MAX_HOURS_RANGE);
        queries.topProducts(IncomingRequest.of(ctx), new TopProductsQuery(tenant, window, range.from(), range.to())).writeTo(ctx);
    }

    /** {@code ?from=&to=}: the UTC days starting in the range (default: the last 7 days). */
    public void activeCustomers(Context ctx) {
        String tenant = RequestParams.tenant(ctx);
        QueryRange range = RequestParams.range(ctx, clock, Duration.ofDays(7), MAX_DAYS_RANGE);
        queries.activeCustomers(IncomingRequest.of(ctx), tenant, range.from(), range.to()).writeTo(ctx);
    }

    public void profile(Context ctx) {
        String tenant = RequestParams.tenant(ctx);
        String customerId = RequestParams.customerId(ctx);
        queries.profile(IncomingRequest.of(ctx), tenant, customerId).writeTo(ctx);
    }

    /** {@code ?limit=} from 1 to 100 (default 20). */
    public void alerts(Context ctx) {
        String tenant = RequestParams.tenant(ctx);
        int limit = RequestParams.limit(ctx, DEFAULT_ALERTS, MAX_ALERTS);
        queries.alerts(IncomingRequest.of(ctx), tenant, limit).writeTo(ctx);
    }

    public void freshness(Context ctx) {
        String tenant = RequestParams.tenant(ctx);
        queries.freshness(IncomingRequest.of(ctx), tenant).writeTo(ctx);
    }
}
