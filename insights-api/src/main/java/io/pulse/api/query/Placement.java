package io.pulse.api.query;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where the copies of one tenant's partition of a store live, as Kafka Streams' metadata says now.
 *
 * @param active   the instance that processes the partition; empty while the group is rebalancing and nobody knows
 * @param standbys instances that keep a standby copy
 */
public record Placement(String store, String tenant, int partition, Optional<HostInfo> active, Set<HostInfo> standbys) {

    public boolean isActiveAt(HostInfo instance) {
        return active.isPresent() && active.get().equals(instance);
    }
}
