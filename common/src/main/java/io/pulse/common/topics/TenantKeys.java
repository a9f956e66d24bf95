package io.pulse.common.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Pulse's key and partitioning rule: every key starts with the tenant ({@code tenant} or
 * {@code tenant/...}), and every topic is partitioned by the tenant alone, the way Kafka's default
 * partitioner places a record keyed by the bare tenant. So a retailer's records of every topic
 * (events, reference data, metrics, internal repartition topics) sit in the same partition number,
 * in order; see {@link EventKeys} for why.
 */
public final class TenantKeys {
    public static final char SEPARATOR = '/';

    private TenantKeys() {
    }

    /** {@code tenant/part1/part2...} */
    public static String of(String tenant, String... parts) {
        StringBuilder b = new StringBuilder(tenant);
        for (String p : parts) {
            b.append(SEPARATOR).append(p);
        }
        return b.toString();
    }

    /** The tenant a key belongs to. */
    public static String tenantOf(String key) {
        int i = key.indexOf(SEPARATOR);
        return i < 0 ? key : key.substring(0, i);
    }

    /** The partition of a tenant's records: Kafka's default partitioner applied to the tenant as the key. */
    public static int partition(String tenant, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
