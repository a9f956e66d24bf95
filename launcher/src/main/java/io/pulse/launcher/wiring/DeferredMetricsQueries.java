package io.pulse.launcher.wiring;

import io.pulse.api.query.MetricsQueries;
import io.pulse.api.query.StoreUnavailableException;
import io.pulse.api.query.WindowCount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Lets the API start (and learn its port) before Kafka Streams exists: until the real query service
 * is attached, queries answer 503 with Retry-After, and readiness is down.
 */
final class DeferredMetricsQueries implements MetricsQueries {
    private volatile MetricsQueries delegate;

    void attach(MetricsQueries queries) {
        this.delegate = queries;
    }

    @Override
    public List<WindowCount> eventCounts(String tenant, Instant from, Instant to) {
        MetricsQueries d = delegate;
        if (d == null) {
            throw new StoreUnavailableException("Pulse is starting; metrics are not queryable yet", Duration.ofSeconds(2), null);
        }
        return d.eventCounts(tenant, from, to);
    }

    @Override
    public boolean isQueryable() {
        MetricsQueries d = delegate;
        return d != null && d.isQueryable();
    }
}
