package io.pulse.ingest.delivery.outbox;

import java.io.IOException;

/**
 * An outbox file is damaged in a way that could hide events that were acknowledged to a source (a
 * record whose checksum does not match, a record cut short before the end of a file, an unreadable
 * position file). The outbox refuses to open rather than skip or re-send them silently; the message
 * names the file and the byte offset.
 */
public final class OutboxCorruptedException extends IOException {
    public OutboxCorruptedException(String message) {
        super(message);
    }
}
