package io.pulse.api.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.pulse.api.auth.ApiRejection;
import io.pulse.api.auth.Caller;
import io.pulse.common.limits.ClockTimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant request rate of the API (token buckets of bucket4j, refilled continuously): each tenant may
 * make {@code requestsPerMinute}; an admin has its own bucket per subject. Over the limit: 429 with
 * {@code Retry-After} (seconds until the next request is allowed). Runs after {@code AccessControl}, on
 * verified callers only, so buckets are bounded by the tenants and admins that hold valid tokens.
 */
public final class TenantRateLimiter implements Handler {
    private final int requestsPerMinute;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TenantRateLimiter(int requestsPerMinute, Clock clock) {
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be at least 1, got " + requestsPerMinute);
        }
        this.requestsPerMinute = requestsPerMinute;
        this.time = new ClockTimeMeter(clock);
    }

    @Override
    public void handle(Context ctx) {
        Caller caller = Caller.find(ctx).orElse(null);
        if (caller == null) {
            return; // public route, or not the API
        }
        String key = caller.admin() ? "admin:" + caller.subject() : "tenant:" + caller.tenant().orElse("");
        ConsumptionProbe probe = buckets.computeIfAbsent(key, k -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(requestsPerMinute).refillGreedy(requestsPerMinute, Duration.ofMinutes(1)))
                        .withCustomTimePrecision(time)
                        .build())
                .tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
            throw ApiRejection.tooManyRequests(seconds, (caller.admin() ? "this admin" : "tenant '" + caller.tenant().orElse("") + "'")
                    + " is over its limit of " + requestsPerMinute + " API requests per minute; retry in " + Math.max(1, seconds) + " s");
        }
        ctx.header("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
    }
}
