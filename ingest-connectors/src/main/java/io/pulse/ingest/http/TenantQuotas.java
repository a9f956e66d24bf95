package io.pulse.ingest.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.pulse.common.limits.ClockTimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant event quotas (token buckets, one token per event, refilled continuously). Buckets exist only
 * for tenants that some key is bound to, so their number is bounded by configuration.
 */
final class TenantQuotas {
    private final long eventsPerSecond;
    private final long burst;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    TenantQuotas(long eventsPerSecond, long burst, Clock clock) {
        this.eventsPerSecond = eventsPerSecond;
        this.burst = burst;
        this.time = new ClockTimeMeter(clock);
    }

    /** Events of a request per tenant, in order of first appearance. */
    static Map<String, Long> countByTenant(List<String> tenants) {
        Map<String, Long> counts = new LinkedHashMap<>();
        tenants.forEach(t -> counts.merge(t, 1L, Long::sum));
        return counts;
    }

    /**
     * Takes the request's events from each tenant's bucket, all or none: when one tenant is over its quota,
     * what was taken from the others is given back and the request is refused with 429 and the time until
     * that tenant's bucket holds enough.
     */
    void acquire(Map<String, Long> eventsByTenant) {
        Map<String, Long> taken = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : eventsByTenant.entrySet()) {
            ConsumptionProbe probe = bucket(e.getKey()).tryConsumeAndReturnRemaining(e.getValue());
            if (!probe.isConsumed()) {
                release(taken);
                throw IngestHttpException.overQuota("tenant " + JsonFields.quote(e.getKey()) + " is over its quota of "
                        + eventsPerSecond + " events per second (burst " + burst + "); retry later",
                        Duration.ofNanos(probe.getNanosToWaitForRefill()));
            }
            taken.put(e.getKey(), e.getValue());
        }
    }

    /** Gives events back, e.g. when a request's events could not be made durable and the client will send them again. */
    void release(Map<String, Long> eventsByTenant) {
        eventsByTenant.forEach((tenant, n) -> bucket(tenant).addTokens(n));
    }

    private Bucket bucket(String tenant) {
        return buckets.computeIfAbsent(tenant, t -> Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(eventsPerSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build());
    }
}
