package io.pulse.launcher.bench;

import io.pulse.avro.Envelope;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Publishes generated envelopes on the pipeline's own delivery path (acks=all, idempotence) at an offered rate, or as
 * fast as the producer takes them ({@link #UNBOUNDED}) while a gate allows. Parking between batches is rate
 * control, not waiting for a condition.
 */
final class LoadPublisher implements Runnable, AutoCloseable {
    static final double UNBOUNDED = Double.POSITIVE_INFINITY;

    private record Offer(double rate, BooleanSupplier gate, long since) { }

    private final EventPublisher publisher;
    private final RetailTrafficGenerator generator;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile Offer offer = new Offer(0, () -> true, System.nanoTime());
    private volatile boolean running = true;
    private final Thread thread;

    LoadPublisher(EventPublisher publisher, RetailTrafficGenerator generator) {
        this.publisher = publisher;
        this.generator = generator;
        this.thread = new Thread(this, "pulse-bench-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on, offer {@code rate} events per second (0 stops) while {@code gate} is true. */
    void offer(double rate, BooleanSupplier gate) {
        offer = new Offer(rate, gate, System.nanoTime());
    }

    void offer(double rate) {
        offer(rate, () -> true);
    }

    long acked() {
        return acked.get();
    }

    /** Records handed to the producer so far. */
    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void run() {
        Offer current = null;
        long sent = 0;
        while (running) {
            Offer o = offer;
            if (o != current) {
                current = o;
                sent = 0;
            }
            if (o.rate() <= 0 || !o.gate().getAsBoolean()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                continue;
            }
            long due = o.rate() == UNBOUNDED ? sent + 50
                    : (long) (o.rate() * (System.nanoTime() - o.since()) / 1e9);
            while (sent < due && running && offer == o) {
                Envelope e = generator.next(Instant.now());
                publisher.publish(e).whenComplete((md, error) -> (error == null ? acked : failed).incrementAndGet());
                sent++;
                this.sent.incrementAndGet();
            }
            if (o.rate() != UNBOUNDED) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        publisher.close();
    }
}
