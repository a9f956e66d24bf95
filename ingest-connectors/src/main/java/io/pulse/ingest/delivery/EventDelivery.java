package io.pulse.ingest.delivery;

import io.pulse.avro.Envelope;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one path from every source to Kafka. A source hands over envelopes it has mapped and validated;
 * the delivery path makes them durable and gets them to the events topic, exactly once by event id,
 * in order per source.
 */
public interface EventDelivery extends AutoCloseable {

    /**
     * Accepts a batch from one source.
     *
     * @return completes when every event of the batch is durable: acknowledged by the broker with
     *     acks=all, or written to the local outbox because the broker is unreachable or its circuit
     *     is open (the outbox is drained in order once the broker is back). Completes exceptionally
     *     only when neither is possible; the caller must then not acknowledge the events upstream.
     */
    CompletableFuture<Void> deliver(SourceId source, List<Envelope> events);

    /** Circuit, outbox and counters, for health and metrics. */
    DeliveryStatus status();

    @Override
    void close();
}
