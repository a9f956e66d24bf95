package io.pulse.common.topics;

/**
 * Names of the topology's state stores, shared by the topology (which creates them) and the API
 * (which queries them). Renaming one orphans its changelog: give it a new name with a new version.
 */
public final class StoreNames {
    /** Window store: tenant to event count, 1-minute tumbling windows. */
    public static final String TENANT_EVENT_COUNTS_1M = "tenant-event-counts-1m-v1";

    private StoreNames() {
    }
}
