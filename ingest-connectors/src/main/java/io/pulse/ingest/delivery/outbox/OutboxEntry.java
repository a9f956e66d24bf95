package io.pulse.ingest.delivery.outbox;

/**
 * A record read back from the outbox, with where it starts and where the next one starts. Committing
 * {@code next} marks this record (and every one before it) as delivered.
 */
public record OutboxEntry(OutboxRecord record, Position position, Position next) {
}
