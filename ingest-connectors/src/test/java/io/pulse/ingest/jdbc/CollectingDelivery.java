package io.pulse.ingest.jdbc;

import io.pulse.avro.Envelope;
import io.pulse.ingest.delivery.DeliveryStatus;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.SourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory delivery path: keeps every batch it accepted, in order. It can be told to refuse the next
 * n batches (completing their futures exceptionally, as the real one does when neither the broker nor the
 * outbox can take them); refused batches are not kept.
 */
final class CollectingDelivery implements EventDelivery {
    private final List<List<Envelope>> batches = new ArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger toRefuse = new AtomicInteger();

    /** Refuses the next n batches. */
    CollectingDelivery refuseNext(int n) {
        toRefuse.set(n);
        return this;
    }

    @Override
    public CompletableFuture<Void> deliver(SourceId source, List<Envelope> events) {
        attempts.incrementAndGet();
        if (toRefuse.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("test: neither broker nor outbox can take the batch"));
        }
        synchronized (batches) {
            batches.add(List.copyOf(events));
        }
        return CompletableFuture.completedFuture(null);
    }

    int attempts() {
        return attempts.get();
    }

    List<List<Envelope>> batches() {
        synchronized (batches) {
            return List.copyOf(batches);
        }
    }

    List<Envelope> events() {
        return batches().stream().flatMap(List::stream).toList();
    }

    @Override
    public DeliveryStatus status() {
        return new DeliveryStatus("test", "CLOSED", 0, events().size(), 0);
    }

    @Override
    public void close() {
    }
}
