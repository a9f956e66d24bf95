package io.pulse.topology.time;

import io.pulse.common.topics.TenantKeys;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions by the tenant at the start of the key, exactly as the events topic is partitioned. Used
 * for every repartition and output topic, so re-keying never moves a retailer's records to another
 * partition and their order survives (stream time then advances as it did upstream).
 */
public final class TenantPartitioner<V> implements StreamPartitioner<String, V> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        return Optional.of(Set.of(TenantKeys.partition(TenantKeys.tenantOf(key), numPartitions)));
    }
}
