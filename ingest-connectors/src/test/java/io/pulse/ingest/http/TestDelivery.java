package io.pulse.ingest.http;

import io.pulse.avro.Envelope;
import io.pulse.ingest.delivery.DeliveryStatus;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.SourceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process delivery path for route tests: collects what it is given, or fails, or holds every batch
 * until the test releases it (a slow broker), or throws.
 */
final class TestDelivery implements EventDelivery {
    enum Mode { COLLECT, FAIL, HOLD, THROW }

    record Batch(SourceId source, List<Envelope> events) {
    }

    private record Held(Batch batch, CompletableFuture<Void> done) {
    }

    private volatile Mode mode;
    private final List<Batch> durable = new CopyOnWriteArrayList<>();
    private final List<Held> held = new CopyOnWriteArrayList<>();
    private final List<Batch> offered = new CopyOnWriteArrayList<>();

    private TestDelivery(Mode mode) {
        this.mode = mode;
    }

    static TestDelivery collecting() {
        return new TestDelivery(Mode.COLLECT);
    }

    static TestDelivery failing() {
        return new TestDelivery(Mode.FAIL);
    }

    /** Holds every batch until {@link #releaseHeld()}: a broker that acknowledges late, or never. */
    static TestDelivery slow() {
        return new TestDelivery(Mode.HOLD);
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    @Override
    public CompletableFuture<Void> deliver(SourceId source, List<Envelope> events) {
        Batch batch = new Batch(source, List.copyOf(events));
        offered.add(batch);
        switch (mode) {
            case COLLECT -> {
                durable.add(batch);
                return CompletableFuture.completedFuture(null);
            }
            case FAIL -> {
                return CompletableFuture.failedFuture(new IOException("broker unreachable and outbox full"));
            }
            case THROW -> throw new IllegalStateException("delivery closed");
            default -> {
                CompletableFuture<Void> done = new CompletableFuture<>();
                held.add(new Held(batch, done));
                return done;
            }
        }
    }

    /** Makes every held batch durable and completes its future. */
    void releaseHeld() {
        for (Held h : held) {
            durable.add(h.batch());
            h.done().complete(null);
        }
        held.clear();
    }

    int heldBatches() {
        return held.size();
    }

    /** Batches that became durable, in order. */
    List<Batch> durableBatches() {
        return List.copyOf(durable);
    }

    /** Every event that became durable, in order. */
    List<Envelope> durableEvents() {
        List<Envelope> all = new ArrayList<>();
        durable.forEach(b -> all.addAll(b.events()));
        return all;
    }

    /** Every batch handed over, durable or not. */
    List<Batch> offeredBatches() {
        return List.copyOf(offered);
    }

    @Override
    public DeliveryStatus status() {
        return new DeliveryStatus("test-events", "CLOSED", held.size(), durableEvents().size(), 0);
    }

    @Override
    public void close() {
    }
}
