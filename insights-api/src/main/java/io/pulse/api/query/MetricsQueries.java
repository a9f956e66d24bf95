package io.pulse.api.query;

import java.time.Instant;
import java.util.List;

/**
 * Reads metrics from the topology's state. The only way the API reaches state stores: handlers
 * never see Kafka Streams.
 */
public interface MetricsQueries {

    /**
     * 1-minute event counts of a tenant for windows starting in {@code [from, to]}, oldest first.
     *
     * @throws StoreUnavailableException while the state is not queryable
     */
    List<WindowCount> eventCounts(String tenant, Instant from, Instant to);

    /** Whether queries can be answered now (readiness). */
    boolean isQueryable();
}
