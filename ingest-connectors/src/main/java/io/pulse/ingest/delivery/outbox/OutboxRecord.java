package io.pulse.ingest.delivery.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One event waiting in the outbox.
 *
 * @param source     the source id it was accepted from ({@code kind/name})
 * @param enqueuedAt when it was written to the outbox: the time its delivery first could not go straight to the broker
 * @param payload    the encoded event
 */
public record OutboxRecord(String source, Instant enqueuedAt, byte[] payload) {
    public OutboxRecord {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(payload, "payload");
    }
}
