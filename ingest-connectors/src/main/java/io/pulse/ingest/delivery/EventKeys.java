package io.pulse.ingest.delivery;

import io.pulse.avro.Envelope;

/**
 * The Kafka key of an event: {@code tenant/customer}, or {@code tenant/session:<id>} for anonymous
 * visitors. One shopper's events share a partition, so their order is kept.
 */
public final class EventKeys {
    private EventKeys() {
    }

    public static String of(Envelope e) {
        if (e.getCustomerId() != null) {
            return e.getTenant() + "/" + e.getCustomerId();
        }
        if (e.getSessionId() != null) {
            return e.getTenant() + "/session:" + e.getSessionId();
        }
        return e.getTenant() + "/event:" + e.getEventId();
    }
}
