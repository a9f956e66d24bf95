package io.pulse.api.insights;

import io.pulse.api.query.WindowSize;
import java.time.Instant;

/**
 * A metrics request, checked.
 *
 * @param store   null: all stores
 * @param channel null: all channels
 */
public record MetricsQuery(String tenant, WindowSize window, String store, String channel, Instant from, Instant to) {

    /** Per store and channel (the store-channel stores) rather than tenant-wide. */
    public boolean perStoreAndChannel() {
        return store != null || channel != null;
    }
}
