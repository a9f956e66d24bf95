package io.pulse.ingest.generator;

import io.pulse.avro.AddToCart;
import io.pulse.avro.Envelope;
import io.pulse.avro.Money;
import io.pulse.avro.Purchase;
import io.pulse.common.serde.GeneratedClassTrust;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The generator's traffic with the faults real sources produce: duplicates (a source retrying),
 * late events (a till that was offline), and malformed envelopes, each at a configurable rate.
 * Deterministic by seed, like the generator it wraps. Not thread safe.
 */
public final class TrafficMix {
    /** Rates are per generated event, each from 0 to 1; together at most 1. */
    public record Rates(double duplicate, double late, double malformed) {
        public static final Rates NONE = new Rates(0, 0, 0);

        public Rates {
            for (double r : new double[] {duplicate, late, malformed}) {
                if (r < 0 || r > 1 || Double.isNaN(r)) {
                    throw new IllegalArgumentException("fault rates must be between 0 and 1, got " + r);
                }
            }
            if (duplicate + late + malformed > 1) {
                throw new IllegalArgumentException("fault rates add up to more than 1");
            }
        }
    }

    private static final int RECENT = 256;

    private final RetailTrafficGenerator generator;
    private final Rates rates;
    private final Duration lateBy;
    private final Random random;
    private final List<Envelope> recent = new ArrayList<>();

    /**
     * @param lateBy how far behind the current time a late event is stamped; make it well above the
     *               topology's window grace so it is late by any measure
     */
    public TrafficMix(RetailTrafficGenerator generator, Rates rates, Duration lateBy, long seed) {
        this.generator = generator;
        this.rates = rates;
        this.lateBy = lateBy;
        this.random = new Random(seed ^ 0x5DEECE66DL);
        GeneratedClassTrust.install(); // copying envelopes goes through Avro's class checks
    }

    /** The next event at {@code now}: usually normal, sometimes one of the faults. */
    public GeneratedEvent next(Instant now) {
        double roll = random.nextDouble();
        if (roll < rates.duplicate() && !recent.isEmpty()) {
            return new GeneratedEvent(recent.get(random.nextInt(recent.size())), GeneratedEvent.Kind.DUPLICATE);
        }
        roll -= rates.duplicate();
        if (roll >= 0 && roll < rates.late()) {
            return new GeneratedEvent(generator.next(now.minus(lateBy)), GeneratedEvent.Kind.LATE);
        }
        roll -= rates.late();
        if (roll >= 0 && roll < rates.malformed()) {
            return new GeneratedEvent(malformed(generator.next(now)), GeneratedEvent.Kind.MALFORMED);
        }
        Envelope e = generator.next(now);
        remember(e);
        return new GeneratedEvent(e, GeneratedEvent.Kind.NORMAL);
    }

    private void remember(Envelope e) {
        if (recent.size() < RECENT) {
            recent.add(e);
        } else {
            recent.set(random.nextInt(RECENT), e);
        }
    }

    /** Breaks one rule a real source gets wrong: bad currency, negative price, wrong total, or a payload of the wrong type. */
    private Envelope malformed(Envelope e) {
        Envelope.Builder b = Envelope.newBuilder(e);
        switch (random.nextInt(4)) {
            case 0 -> b.setPayload(AddToCart.newBuilder().setProductId("sku-00001").setQuantity(1)
                    .setUnitPrice(Money.newBuilder().setAmount(new BigDecimal("9.9900")).setCurrency("euro").build()).build())
                    .setEventType(io.pulse.avro.EventType.ADD_TO_CART);
            case 1 -> b.setPayload(AddToCart.newBuilder().setProductId("sku-00001").setQuantity(1)
                    .setUnitPrice(Money.newBuilder().setAmount(new BigDecimal("-5.0000")).setCurrency("EUR").build()).build())
                    .setEventType(io.pulse.avro.EventType.ADD_TO_CART);
            case 2 -> b.setEventType(io.pulse.avro.EventType.PURCHASE).setPayload(Purchase.newBuilder()
                    .setOrderId("o-broken").setLineItems(List.of())
                    .setTotal(Money.newBuilder().setAmount(new BigDecimal("10.0000")).setCurrency("EUR").build()).build());
            default -> b.setEventType(io.pulse.avro.EventType.PURCHASE)
                    .setPayload(io.pulse.avro.PageView.newBuilder().setUrl("/wrong-payload").build());
        }
        return b.build();
    }
}
