package io.pulse.ingest.blob;

import io.pulse.avro.Envelope;
import io.pulse.ingest.delivery.DeliveryStatus;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.SourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory delivery path: keeps every batch it accepted; can be told to refuse batches from a given call on. */
final class RecordingDelivery implements EventDelivery {
    record Batch(SourceId source, List<Envelope> events) {
    }

    private final List<Batch> batches = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int failFromCall = Integer.MAX_VALUE;

    /** Calls number {@code call} (1 for the first) and later complete exceptionally, like a delivery path with neither broker nor outbox. */
    void failFromCall(int call) {
        failFromCall = call;
    }

    void heal() {
        failFromCall = Integer.MAX_VALUE;
    }

    @Override
    public CompletableFuture<Void> deliver(SourceId source, List<Envelope> events) {
        if (calls.incrementAndGet() >= failFromCall) {
            return CompletableFuture.failedFuture(new IllegalStateException("test delivery path refuses call " + calls.get()));
        }
        batches.add(new Batch(source, List.copyOf(events)));
        return CompletableFuture.completedFuture(null);
    }

    List<Batch> batches() {
        return List.copyOf(batches);
    }

    List<Envelope> events() {
        List<Envelope> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.events()));
        return all;
    }

    @Override
    public DeliveryStatus status() {
        return new DeliveryStatus("test", "CLOSED", 0, events().size(), 0);
    }

    @Override
    public void close() {
    }
}
