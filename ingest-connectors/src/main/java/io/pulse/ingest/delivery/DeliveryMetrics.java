package io.pulse.ingest.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The delivery path's meters, all tagged with the target topic:
 * <ul>
 *   <li>{@code pulse.ingest.delivery.circuit.state} (gauge, tag {@code state} = closed|open|half_open): 1 for the current state, else 0</li>
 *   <li>{@code pulse.ingest.delivery.outbox.events}, {@code pulse.ingest.delivery.outbox.bytes} (gauges): what waits in the outbox</li>
 *   <li>{@code pulse.ingest.delivery.delivered}: events the broker acknowledged</li>
 *   <li>{@code pulse.ingest.delivery.outboxed}: events written to the outbox</li>
 *   <li>{@code pulse.ingest.delivery.dead.lettered} (tag {@code reason} = permanent|retries-exhausted): events sent to the dead-letter topic</li>
 *   <li>{@code pulse.ingest.delivery.retries}: failed attempts that will be retried</li>
 *   <li>{@code pulse.ingest.delivery.alerts}: alerts raised (an event dead-lettered after its retries)</li>
 *   <li>{@code pulse.ingest.delivery.refused}: events neither the broker nor the outbox could take (the caller saw an error)</li>
 * </ul>
 * The meters are removed on {@link #close()}, so a new delivery path can register its own.
 */
final class DeliveryMetrics implements AutoCloseable {
    static final String PREFIX = "pulse.ingest.delivery.";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    final Counter delivered;
    final Counter outboxed;
    final Counter deadLetteredPermanent;
    final Counter deadLetteredRetriesExhausted;
    final Counter retries;
    final Counter alerts;
    final Counter refused;

    <T> DeliveryMetrics(MeterRegistry registry, String target, Supplier<CircuitBreaker.State> circuit,
                        T outbox, ToDoubleFunction<T> outboxEvents, ToDoubleFunction<T> outboxBytes) {
        this.registry = registry;
        Tags tags = Tags.of("target", target);
        for (CircuitBreaker.State state : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN)) {
            meters.add(Gauge.builder(PREFIX + "circuit.state", circuit, c -> c.get() == state ? 1 : 0)
                    .tags(tags.and("state", state.name().toLowerCase(Locale.ROOT)))
                    .description("1 for the delivery circuit's current state")
                    .strongReference(true)
                    .register(registry));
        }
        meters.add(Gauge.builder(PREFIX + "outbox.events", outbox, outboxEvents).tags(tags)
                .description("events waiting in the local outbox").strongReference(true).register(registry));
        meters.add(Gauge.builder(PREFIX + "outbox.bytes", outbox, outboxBytes).tags(tags).baseUnit("bytes")
                .description("bytes waiting in the local outbox").strongReference(true).register(registry));
        delivered = counter("delivered", tags, "events acknowledged by the broker");
        outboxed = counter("outboxed", tags, "events written to the local outbox");
        deadLetteredPermanent = counter("dead.lettered", tags.and("reason", "permanent"), "events sent to the dead-letter topic");
        deadLetteredRetriesExhausted = counter("dead.lettered", tags.and("reason", "retries-exhausted"),
                "events sent to the dead-letter topic");
        retries = counter("retries", tags, "failed delivery attempts that will be retried");
        alerts = counter("alerts", tags, "delivery alerts raised");
        refused = counter("refused", tags, "events neither the broker nor the outbox could take");
    }

    long deadLettered() {
        return (long) (deadLetteredPermanent.count() + deadLetteredRetriesExhausted.count());
    }

    private Counter counter(String name, Tags tags, String description) {
        Counter c = Counter.builder(PREFIX + name).tags(tags).description(description).register(registry);
        meters.add(c);
        return c;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
