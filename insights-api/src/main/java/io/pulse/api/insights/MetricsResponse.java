package io.pulse.api.insights;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pulse.api.query.StoreReads.StoreChannel;
import io.pulse.api.query.WindowRow;
import io.pulse.avro.CurrencySum;
import io.pulse.avro.MetricsState;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/tenants/{tenant}/metrics}: a tenant's windowed engagement metrics, tenant-wide or per store and
 * channel.
 *
 * @param store       the store asked for; null: all stores
 * @param channel     the channel asked for; null: all channels
 * @param totalEvents the sum of the listed windows' events (hopping 5-minute windows overlap: each event counts in five)
 * @param windows     oldest first; per store and channel (then by store, channel) when either was asked for
 */
public record MetricsResponse(String tenant, String window, String store, String channel, Instant from, Instant to,
                              long totalEvents, List<Window> windows, Freshness freshness) {

    static MetricsResponse of(MetricsQuery q, boolean perStoreAndChannel, List<WindowRow<MetricsState>> rows,
                              Predicate<Instant> finalAtEnd, Freshness freshness) {
        List<Window> windows = rows.stream()
                .map(r -> Window.of(r, perStoreAndChannel ? StoreChannel.of(r.key()) : new StoreChannel(null, null), finalAtEnd.test(r.end())))
                .toList();
        long total = windows.stream().mapToLong(Window::events).sum();
        return new MetricsResponse(q.tenant(), q.window().name(), q.store(), q.channel(), q.from(), q.to(), total, windows, freshness);
    }

    /**
     * One window's metrics.
     *
     * @param closed          {@code "final"}: the window's grace has passed for the tenant, so the value no longer changes;
     *                        false: provisional
     * @param store           null for all stores; {@code "-"}: events that name no store
     * @param uniqueCustomers HyperLogLog estimates from here to cartSessions: exact up to a few hundred
     * @param conversionRate  orders / sessions; null without a session
     * @param addToCartRate   cart sessions / sessions; null without a session
     * @param revenue         per currency that had an order, sorted by currency; currencies are never mixed
     */
    public record Window(Instant start, Instant end, @JsonProperty("final") boolean closed, String store, String channel,
                         long events, long uniqueCustomers, long sessions, long cartSessions, long orders,
                         Double conversionRate, Double addToCartRate, List<Revenue> revenue) {

        static Window of(WindowRow<MetricsState> row, StoreChannel where, boolean closed) {
            MetricsState s = row.value();
            long sessions = s.getSessions();
            List<Revenue> revenue = s.getRevenue().stream().map(Revenue::of).toList();
            return new Window(row.start(), row.end(), closed, where.store(), where.channel(), s.getEvents(), s.getUniqueCustomers(),
                    sessions, s.getCartSessions(), s.getOrders(),
                    sessions == 0 ? null : (double) s.getOrders() / sessions,
                    sessions == 0 ? null : (double) s.getCartSessions() / sessions,
                    revenue);
        }
    }

    /**
     * Revenue in one currency.
     *
     * @param revenue           exact sum of the orders' totals, a decimal string with 4 places
     * @param averageOrderValue revenue / orders, half-even to 4 places
     */
    public record Revenue(String currency, long orders, String revenue, String averageOrderValue) {
        static Revenue of(CurrencySum sum) {
            return new Revenue(sum.getCurrency(), sum.getOrders(), Decimals.text(sum.getAmount()),
                    Decimals.average(sum.getAmount(), sum.getOrders()));
        }
    }
}
