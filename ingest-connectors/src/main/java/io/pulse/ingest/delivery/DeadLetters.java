package io.pulse.ingest.delivery;

import java.util.concurrent.CompletableFuture;

/**
 * Where a source sends input that fails permanently (cannot be mapped, breaks an envelope rule), at
 * once and never silently. A source moves its position past such input only after the returned future
 * completed, exactly as for {@link EventDelivery}.
 */
public interface DeadLetters {

    /** @return completes when the dead letter is durable (acknowledged with acks=all); exceptionally otherwise */
    CompletableFuture<Void> send(DeadLetter letter);
}
