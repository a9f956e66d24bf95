package io.pulse.api.live;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connected stream client: a bounded queue between the feed, which only ever offers (never
 * waits), and the client's own sender, which takes events and writes them to the connection. A
 * client whose queue is full is ended; it never slows the feed or the other clients.
 */
public final class LiveClient {
    /** Put in the queue to wake the sender up when the client ends. */
    private static final LiveEvent END = new LiveEvent("-", "end", "");

    private final String tenant;
    private final String description;
    private final int capacity;
    /** One slot more than the capacity, so that {@link #END} always fits. */
    private final BlockingQueue<LiveEvent> queue;
    private volatile EndReason ended;
    private final java.util.concurrent.atomic.AtomicBoolean disconnected = new java.util.concurrent.atomic.AtomicBoolean();

    LiveClient(String tenant, String description, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a live client's queue must hold at least one event, got " + capacity);
        }
        this.tenant = tenant;
        this.description = description;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    /** Why a client ended. */
    public enum EndReason {
        /** Its queue was full: it does not read as fast as events come. */
        TOO_SLOW,
        /** The connection closed, or the server is shutting down. */
        CLOSED
    }

    public String tenant() {
        return tenant;
    }

    /** Who the client is, for log lines (the remote address), never its token. */
    public String description() {
        return description;
    }

    /** Queues an event without waiting; false when the queue is full or the client has ended. */
    boolean offer(LiveEvent event) {
        if (ended != null || queue.size() >= capacity) {
            return false;
        }
        return queue.offer(event);
    }

    /** Ends the client: what is queued is dropped and its sender wakes up. Only the first reason counts. */
    void end(EndReason reason) {
        synchronized (this) {
            if (ended != null) {
                return;
            }
            ended = reason;
        }
        queue.clear();
        queue.offer(END);
    }

    /** True the first time only: the hub counts each client's disconnection once. */
    boolean markDisconnected() {
        return disconnected.compareAndSet(false, true);
    }

    /** Why the client ended, if it has. */
    public Optional<EndReason> ended() {
        return Optional.ofNullable(ended);
    }

    /**
     * The next event for the sender, waiting at most {@code wait}.
     *
     * @return the event; empty when none came in time (time for a heartbeat) or the client has ended
     */
    public Optional<LiveEvent> next(Duration wait) throws InterruptedException {
        if (ended != null) {
            return Optional.empty();
        }
        LiveEvent e = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        return e == null || e == END ? Optional.empty() : Optional.of(e);
    }

    /** Events waiting to be sent. */
    public int queued() {
        return (int) queue.stream().filter(e -> e != END).count();
    }
}
