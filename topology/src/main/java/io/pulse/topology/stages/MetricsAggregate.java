package io.pulse.topology.stages;

import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.CurrencySum;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.MetricsState;
import io.pulse.avro.Money;
import io.pulse.avro.Purchase;
import io.pulse.avro.WindowedMetrics;
import io.pulse.topology.sketch.DistinctCounts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;

/**
 * The engagement metrics of one window as a pure accumulator, free of Kafka: {@link #add} an event,
 * {@link #merge} two partial aggregates, {@link #toRecord} for the store, and {@link #metrics} for
 * the published values.
 *
 * <ul>
 *   <li>events: every event; orders: purchases; revenue: the purchases' totals, exact, per currency
 *       (scale {@value #SCALE}; an amount with more decimals fails rather than being rounded).</li>
 *   <li>unique customers, sessions, sessions with an add-to-cart: distinct customer and session ids
 *       ({@link DistinctCounts}); events without the id do not count there.</li>
 *   <li>conversion rate = orders / sessions; add-to-cart rate = cart sessions / sessions (null
 *       without a session); average order value per currency = revenue / orders, half-even, scale 4.</li>
 * </ul>
 *
 * Not thread safe; a new instance per update, as Kafka Streams aggregators use it.
 */
public final class MetricsAggregate {
    public static final int SCALE = 4;

    private long events;
    private long orders;
    /** Currency to (orders, amount), sorted by currency. */
    private final Map<String, CurrencySum> revenue = new TreeMap<>();
    private final HllSketch customers;
    private final HllSketch sessions;
    private final HllSketch cartSessions;

    private MetricsAggregate(HllSketch customers, HllSketch sessions, HllSketch cartSessions) {
        this.customers = customers;
        this.sessions = sessions;
        this.cartSessions = cartSessions;
    }

    public static MetricsAggregate empty() {
        return new MetricsAggregate(DistinctCounts.newSketch(), DistinctCounts.newSketch(), DistinctCounts.newSketch());
    }

    /** The empty aggregate as stored: the initializer of a windowed aggregation. */
    public static MetricsState emptyRecord() {
        return empty().toRecord();
    }

    public static MetricsAggregate of(MetricsState state) {
        MetricsAggregate a = new MetricsAggregate(DistinctCounts.read(state.getCustomersSketch()),
                DistinctCounts.read(state.getSessionsSketch()), DistinctCounts.read(state.getCartSessionsSketch()));
        a.events = state.getEvents();
        a.orders = state.getOrders();
        for (CurrencySum sum : state.getRevenue()) {
            a.addRevenue(sum.getCurrency(), sum.getOrders(), sum.getAmount());
        }
        return a;
    }

    /** The stored aggregate with one more event: what a windowed aggregation's aggregator does. */
    public static MetricsState add(Envelope event, MetricsState state) {
        return of(state).add(event).toRecord();
    }

    public MetricsAggregate add(Envelope e) {
        events++;
        if (e.getCustomerId() != null) {
            customers.update(e.getCustomerId());
        }
        if (e.getSessionId() != null) {
            sessions.update(e.getSessionId());
            if (e.getEventType() == EventType.ADD_TO_CART) {
                cartSessions.update(e.getSessionId());
            }
        }
        if (e.getEventType() == EventType.PURCHASE && e.getPayload() instanceof Purchase purchase) {
            orders++;
            Money total = purchase.getTotal();
            addRevenue(total.getCurrency(), 1, total.getAmount());
        }
        return this;
    }

    /** This aggregate plus another one (of the same window, another part of the events). */
    public MetricsAggregate merge(MetricsAggregate other) {
        MetricsAggregate m = new MetricsAggregate(DistinctCounts.union(List.of(customers, other.customers)),
                DistinctCounts.union(List.of(sessions, other.sessions)),
                DistinctCounts.union(List.of(cartSessions, other.cartSessions)));
        m.events = events + other.events;
        m.orders = orders + other.orders;
        for (MetricsAggregate part : List.of(this, other)) {
            part.revenue.values().forEach(s -> m.addRevenue(s.getCurrency(), s.getOrders(), s.getAmount()));
        }
        return m;
    }

    public MetricsState toRecord() {
        long sessionCount = DistinctCounts.estimate(sessions);
        return MetricsState.newBuilder()
                .setEvents(events)
                .setOrders(orders)
                .setRevenue(new ArrayList<>(revenue.values()))
                .setUniqueCustomers(DistinctCounts.estimate(customers))
                .setSessions(sessionCount)
                // Every cart session is a session; estimates beyond the exact range must not say otherwise.
                .setCartSessions(Math.min(DistinctCounts.estimate(cartSessions), sessionCount))
                .setCustomersSketch(DistinctCounts.write(customers))
                .setSessionsSketch(DistinctCounts.write(sessions))
                .setCartSessionsSketch(DistinctCounts.write(cartSessions))
                .build();
    }

    /**
     * The published metric values of a stored aggregate (no sketch is read); the caller sets the
     * tenant, store, channel, window and whether it is final.
     */
    public static WindowedMetrics.Builder metrics(MetricsState s) {
        List<CurrencyRevenue> revenue = new ArrayList<>(s.getRevenue().size());
        for (CurrencySum sum : s.getRevenue()) {
            revenue.add(CurrencyRevenue.newBuilder()
                    .setCurrency(sum.getCurrency())
                    .setOrders(sum.getOrders())
                    .setRevenue(sum.getAmount())
                    .setAverageOrderValue(sum.getAmount().divide(BigDecimal.valueOf(sum.getOrders()), SCALE, RoundingMode.HALF_EVEN))
                    .build());
        }
        long sessions = s.getSessions();
        return WindowedMetrics.newBuilder()
                .setEvents(s.getEvents())
                .setUniqueCustomers(s.getUniqueCustomers())
                .setSessions(sessions)
                .setCartSessions(s.getCartSessions())
                .setOrders(s.getOrders())
                .setRevenue(revenue)
                .setConversionRate(sessions == 0 ? null : (double) s.getOrders() / sessions)
                .setAddToCartRate(sessions == 0 ? null : (double) s.getCartSessions() / sessions);
    }

    private void addRevenue(String currency, long orderCount, BigDecimal amount) {
        // setScale without rounding: an amount with more than 4 decimals fails instead of losing money.
        BigDecimal exact = amount.setScale(SCALE);
        revenue.merge(currency, new CurrencySum(currency, orderCount, exact), (a, b) ->
                new CurrencySum(currency, a.getOrders() + b.getOrders(), a.getAmount().add(b.getAmount())));
    }
}
