package io.pulse.ingest.source;

import io.pulse.ingest.delivery.SourceId;

/**
 * A source of events from the retailer's world (HTTP, a database, blob drops, the generator). Every
 * source maps its input to envelopes and hands them to the shared EventDelivery; it can be paused
 * and resumed by an operator (admin endpoint) without losing its position.
 */
public interface IngestSource extends AutoCloseable {

    SourceId id();

    /** Starts reading (in the background for polling sources). */
    void start();

    /** Stops taking new input, keeping the position; HTTP sources answer 503 with Retry-After meanwhile. */
    void pause();

    void resume();

    boolean paused();

    @Override
    void close();
}
