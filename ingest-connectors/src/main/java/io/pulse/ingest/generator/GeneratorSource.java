package io.pulse.ingest.generator;

import io.pulse.avro.Envelope;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.delivery.SourceId;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the generator live: events stamped with the current time (faults included), at a steady rate, published
 * through the shared delivery path. Pacing parks the thread until the next event is due; that is
 * rate control, not waiting for a condition.
 */
public final class GeneratorSource implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GeneratorSource.class);

    /** The generator's source id on the shared delivery path. */
    public static final SourceId SOURCE_ID = new SourceId("generator", "retail");

    private final TrafficMix traffic;
    private final java.util.function.Function<Envelope, CompletableFuture<?>> publish;
    private final Runnable flush;
    private final double eventsPerSecond;
    private final Clock clock;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private volatile Thread thread;

    public GeneratorSource(TrafficMix traffic, EventPublisher publisher, double eventsPerSecond, Clock clock) {
        this(traffic, publisher::publish, publisher::flush, eventsPerSecond, clock);
    }

    /**
     * Through the shared delivery path (outbox, retries, dead letters) as source {@link #SOURCE_ID}; the
     * delivery path stays open when the generator closes (its owner closes it).
     */
    public GeneratorSource(TrafficMix traffic, EventDelivery delivery, double eventsPerSecond, Clock clock) {
        this(traffic, event -> delivery.deliver(SOURCE_ID, List.of(event)), () -> { }, eventsPerSecond, clock);
    }

    private GeneratorSource(TrafficMix traffic, java.util.function.Function<Envelope, CompletableFuture<?>> publish,
                            Runnable flush, double eventsPerSecond, Clock clock) {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("eventsPerSecond must be positive, got " + eventsPerSecond);
        }
        this.traffic = traffic;
        this.publish = publish;
        this.flush = flush;
        this.eventsPerSecond = eventsPerSecond;
        this.clock = clock;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / eventsPerSecond);
        long next = System.nanoTime();
        while (running) {
            Envelope event = traffic.next(clock.instant()).event();
            publish.apply(event).whenComplete((md, error) -> {
                if (error != null) {
                    // Generated events are disposable; count and log so the loss is never silent.
                    if (failed.incrementAndGet() % 1000 == 1) {
                        log.warn("Generator could not publish event {} (tenant {}): {}; {} failed so far",
                                event.getEventId(), event.getTenant(), error.toString(), failed.get());
                    }
                } else {
                    published.incrementAndGet();
                }
            });
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // fell behind by more than a second: do not burst to catch up
            }
        }
    }

    public long published() {
        return published.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        flush.run();
    }
}
