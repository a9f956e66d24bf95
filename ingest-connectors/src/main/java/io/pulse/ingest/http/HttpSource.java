package io.pulse.ingest.http;

import io.pulse.ingest.delivery.SourceId;
import io.pulse.ingest.source.IngestSource;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP source (one API key): it has no position to keep, so pausing only makes its requests answer 503
 * with {@code Retry-After} until it is resumed; the client retries and nothing is lost.
 */
public final class HttpSource implements IngestSource {
    private final SourceKey key;
    private volatile boolean paused;
    private volatile boolean closed;
    private final AtomicBoolean deliveryFailing = new AtomicBoolean();

    HttpSource(SourceKey key) {
        this.key = key;
    }

    @Override
    public SourceId id() {
        return key.id();
    }

    SourceKey key() {
        return key;
    }

    @Override
    public void start() {
        // Requests arrive through the web server; nothing to start.
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public boolean paused() {
        return paused;
    }

    /** Whether requests of this source are taken now. */
    boolean accepting() {
        return !paused && !closed;
    }

    /** Notes a request whose events could not be made durable; true for the first of a run (the one to log at WARN). */
    boolean deliveryFailed() {
        return deliveryFailing.compareAndSet(false, true);
    }

    /** Notes a request whose events are durable; true for the first after a run of failures. */
    boolean deliverySucceeded() {
        return deliveryFailing.compareAndSet(true, false);
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return id().value();
    }
}
