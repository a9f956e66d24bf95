package io.pulse.launcher.topics;

import io.pulse.topology.describe.PlannedTopic;
import io.pulse.topology.describe.TopicPlan;

/**
 * How a plan fits Event Hubs' tier quotas: Standard allows 10 event hubs per namespace and 32 partitions per event
 * hub (and has neither compaction nor Kafka Streams support); Premium allows 100 event hubs per processing unit.
 */
record EventHubsBudget(int eventHubs, int partitions, int largestPartitionCount, boolean needsCompaction) {
    static final int STANDARD_MAX_EVENT_HUBS = 10;
    static final int STANDARD_MAX_PARTITIONS_PER_HUB = 32;
    static final int PREMIUM_EVENT_HUBS_PER_PU = 100;

    static EventHubsBudget of(TopicPlan plan) {
        return new EventHubsBudget(plan.topics().size(), plan.totalPartitions(),
                plan.topics().stream().mapToInt(PlannedTopic::partitions).max().orElse(0),
                plan.topics().stream().anyMatch(PlannedTopic::compacted));
    }

    boolean fitsStandard() {
        return eventHubs <= STANDARD_MAX_EVENT_HUBS && largestPartitionCount <= STANDARD_MAX_PARTITIONS_PER_HUB && !needsCompaction;
    }

    int premiumProcessingUnits() {
        return Math.max(1, (eventHubs + PREMIUM_EVENT_HUBS_PER_PU - 1) / PREMIUM_EVENT_HUBS_PER_PU);
    }

    /** One line per tier, for people deciding what to order. */
    String summary() {
        String standard = fitsStandard() ? "fits" : "does not fit (" + STANDARD_MAX_EVENT_HUBS + " event hubs, "
                + STANDARD_MAX_PARTITIONS_PER_HUB + " partitions each, no compaction; Kafka Streams needs Premium anyway)";
        return eventHubs + " event hubs, " + partitions + " partitions\n"
                + "Event Hubs Standard: " + standard + "\n"
                + "Event Hubs Premium: fits in " + premiumProcessingUnits() + " processing unit(s) (" + PREMIUM_EVENT_HUBS_PER_PU
                + " event hubs per unit)";
    }
}
