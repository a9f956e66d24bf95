package io.pulse.ingest.delivery.outbox;

import java.io.IOException;

/** The outbox holds as many bytes as it may; nothing was written. */
public final class OutboxFullException extends IOException {
    public OutboxFullException(String message) {
        super(message);
    }
}
