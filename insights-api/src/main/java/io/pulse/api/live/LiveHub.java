package io.pulse.api.live;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans live events out to the connected clients of their tenant. {@link #publish} never waits: a
 * client that cannot keep up (its bounded queue is full) is dropped with a log line and the others
 * carry on. Thread safe.
 */
public final class LiveHub implements AutoCloseable {
    /** Events a client may have waiting before it counts as too slow. */
    public static final int DEFAULT_QUEUE_CAPACITY = 512;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);

    private final int queueCapacity;
    private final Map<String, Set<LiveClient>> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Clients connected and not yet disconnected: their senders may still be writing. */
    private int open;

    public LiveHub() {
        this(DEFAULT_QUEUE_CAPACITY);
    }

    public LiveHub(int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
    }

    /**
     * Connects a client of {@code tenant}; it receives the tenant's events published from now on.
     *
     * @param description who it is, for log lines
     * @throws IllegalStateException when the hub is closed (the server is shutting down)
     */
    public LiveClient connect(String tenant, String description) {
        if (closed) {
            throw new IllegalStateException("the live stream is shutting down");
        }
        LiveClient client = new LiveClient(tenant, description, queueCapacity);
        synchronized (this) {
            open++;
        }
        clients.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet()).add(client);
        if (closed) { // closed meanwhile: do not leave it waiting
            client.end(LiveClient.EndReason.CLOSED);
        }
        return client;
    }

    /** Forgets a client whose sender has finished (its connection closed); idempotent. */
    public void disconnect(LiveClient client) {
        client.end(LiveClient.EndReason.CLOSED);
        Set<LiveClient> of = clients.get(client.tenant());
        if (of != null) {
            of.remove(client);
        }
        if (client.markDisconnected()) {
            synchronized (this) {
                open--;
                notifyAll();
            }
        }
    }

    /** Hands the event to every client of its tenant without waiting; drops the clients that are too slow. */
    public void publish(LiveEvent event) {
        Set<LiveClient> of = clients.get(event.tenant());
        if (of == null) {
            return;
        }
        for (LiveClient client : of) {
            if (!client.offer(event) && client.ended().isEmpty()) {
                log.warn("Dropping live client {} of tenant {}: {} events are waiting to be sent, it reads too slowly",
                        client.description(), client.tenant(), queueCapacity);
                client.end(LiveClient.EndReason.TOO_SLOW);
                of.remove(client);
            }
        }
    }

    /** Clients of a tenant connected now. */
    public int clientCount(String tenant) {
        Set<LiveClient> of = clients.get(tenant);
        return of == null ? 0 : of.size();
    }

    /** True once {@link #close()} ran: no client may connect. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Ends every client and refuses new ones; waits a little (at most {@value #CLOSE_WAIT_MILLIS} ms) for their
     * senders to finish, so that the server can stop without cutting a stream off in the middle of a write.
     */
    @Override
    public void close() {
        closed = true;
        List<LiveClient> all = clients.values().stream().flatMap(Set::stream).toList();
        all.forEach(c -> c.end(LiveClient.EndReason.CLOSED));
        clients.clear();
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        synchronized (this) {
            long left;
            while (open > 0 && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (open > 0) {
                log.warn("{} live stream senders were still writing when the hub closed", open);
            }
        }
    }
}
