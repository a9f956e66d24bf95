package io.pulse.common.topics;

import io.pulse.avro.Envelope;

/**
 * The Kafka key of an event on {@link TopicCatalogue#EVENTS}: its tenant.
 *
 * <p>Why the tenant: all of a retailer's events then share one partition, in arrival order, and the
 * per-tenant windowed stages aggregate them without a repartition. A repartition would interleave
 * records from several upstream tasks; while a backlog is being processed (after a restart or an
 * outage) stream time would jump ahead and events well within grace would be dropped as late. A
 * stage that needs another grouping (per customer, per store) must keep partitioning by tenant.
 */
public final class EventKeys {
    private EventKeys() {
    }

    public static String of(Envelope event) {
        return event.getTenant();
    }
}
