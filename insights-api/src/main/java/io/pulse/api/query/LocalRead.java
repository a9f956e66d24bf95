package io.pulse.api.query;

/**
 * How this instance reads its own copy of a store partition: the active copy, or (stale) a standby or a restoring
 * active copy, which may be behind by {@code lagRecords} changelog records.
 *
 * @param partition  the partition of the tenant (all of a tenant's keys share it)
 * @param stale      whether the copy may be behind the active one
 * @param lagRecords changelog records this copy was behind when last measured; 0 for the active copy; null when unknown
 * @param servedBy   this instance ({@code host:port}, its {@code application.server})
 */
public record LocalRead(int partition, boolean stale, Long lagRecords, String servedBy) {

    public static LocalRead active(int partition, String servedBy) {
        return new LocalRead(partition, false, 0L, servedBy);
    }

    public static LocalRead stale(int partition, Long lagRecords, String servedBy) {
        return new LocalRead(partition, true, lagRecords, servedBy);
    }
}
