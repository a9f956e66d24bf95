package io.pulse.lake;

import io.pulse.avro.Alert;
import io.pulse.avro.AlertDirection;
import io.pulse.avro.AlertMetric;
import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.WindowedMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Topology results for tests, as the topology writes them, and how each reads back from the lake: the DuckDB
 * select list of its dataset and the row it must give, for whole-row comparisons.
 */
public final class TestResults {
    /** Every column of the metrics dataset, timestamps as epoch millis. */
    public static final String METRICS_COLUMNS = "tenant, store_id, channel, window_size, epoch_ms(window_start), epoch_ms(window_end),"
            + " events, unique_customers, sessions, cart_sessions, orders, revenue, conversion_rate, add_to_cart_rate, \"final\"";
    /** Every column of the alerts dataset, timestamps as epoch millis. */
    public static final String ALERT_COLUMNS = "tenant, store_id, channel, metric, currency, direction, value, baseline_mean,"
            + " baseline_stddev, score, baseline_windows, epoch_ms(window_start), epoch_ms(window_end), epoch_ms(detected_at), source, message";

    private TestResults() {
    }

    /** One minute's metrics of a store, with revenue in two currencies (decimals at scale 4). */
    public static WindowedMetrics metrics(String tenant, String storeId, Instant windowStart, boolean isFinal) {
        long orders = Math.floorMod(storeId.hashCode(), 7) + 1L;
        return WindowedMetrics.newBuilder()
                .setTenant(tenant)
                .setStoreId(storeId)
                .setChannel("WEB")
                .setWindowSize("PT1M")
                .setWindowStart(windowStart)
                .setWindowEnd(windowStart.plus(Duration.ofMinutes(1)))
                .setEvents(orders * 10)
                .setUniqueCustomers(orders * 3)
                .setSessions(orders * 2)
                .setCartSessions(orders)
                .setOrders(orders)
                .setRevenue(List.of(
                        new CurrencyRevenue("EUR", orders, amount("12.3456").multiply(BigDecimal.valueOf(orders)), amount("12.3456")),
                        new CurrencyRevenue("USD", 1L, amount("0.0001"), amount("0.0001"))))
                .setConversionRate(orders / (orders * 2.0))
                .setAddToCartRate(isFinal ? 0.5 : null)
                .setFinal$(isFinal)
                .build();
    }

    public static Alert alert(String tenant, Instant windowStart, String message) {
        return Alert.newBuilder()
                .setTenant(tenant)
                .setStoreId(null)
                .setChannel(null)
                .setMetric(AlertMetric.REVENUE)
                .setCurrency("EUR")
                .setDirection(AlertDirection.SPIKE)
                .setValue(1234.5)
                .setBaselineMean(100.25)
                .setBaselineStddev(10.5)
                .setScore(108.0)
                .setBaselineWindows(30)
                .setWindowStart(windowStart)
                .setWindowEnd(windowStart.plus(Duration.ofMinutes(1)))
                .setDetectedAt(windowStart.plus(Duration.ofMinutes(2)))
                .setSource(null)
                .setMessage(message)
                .build();
    }

    /** The row DuckDB must give for {@code m} under {@link #METRICS_COLUMNS}. */
    public static List<Object> metricsRow(WindowedMetrics m) {
        List<Object> revenue = new ArrayList<>();
        for (CurrencyRevenue r : m.getRevenue()) {
            revenue.add(List.of(r.getCurrency(), r.getOrders(), r.getRevenue(), r.getAverageOrderValue()));
        }
        return nullable(m.getTenant(), m.getStoreId(), m.getChannel(), m.getWindowSize(), m.getWindowStart().toEpochMilli(),
                m.getWindowEnd().toEpochMilli(), m.getEvents(), m.getUniqueCustomers(), m.getSessions(), m.getCartSessions(),
                m.getOrders(), revenue, m.getConversionRate(), m.getAddToCartRate(), m.getFinal$());
    }

    /** The row DuckDB must give for {@code a} under {@link #ALERT_COLUMNS}. */
    public static List<Object> alertRow(Alert a) {
        return nullable(a.getTenant(), a.getStoreId(), a.getChannel(), a.getMetric().name(), a.getCurrency(), a.getDirection().name(),
                a.getValue(), a.getBaselineMean(), a.getBaselineStddev(), a.getScore(), a.getBaselineWindows(),
                a.getWindowStart().toEpochMilli(), a.getWindowEnd().toEpochMilli(), a.getDetectedAt().toEpochMilli(), a.getSource(),
                a.getMessage());
    }

    private static BigDecimal amount(String value) {
        return new BigDecimal(value).setScale(4);
    }

    private static List<Object> nullable(Object... values) {
        List<Object> row = new ArrayList<>();
        for (Object v : values) {
            row.add(v);
        }
        return row;
    }
}
