package io.pulse.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.Envelope;
import io.pulse.avro.Purchase;
import io.pulse.avro.WindowedMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Tenant-wide per-minute metrics computed from the input alone (as EngagementExactnessIT computes them), and the
 * finals a drill reads back from the metrics topic, compared exactly.
 */
final class ExpectedMetrics {
    /** Per-minute values of one tenant. */
    static final class Window {
        long events;
        long orders;
        final Map<String, BigDecimal> revenue = new TreeMap<>();
    }

    /** Every window with a counted event, keyed {@code tenant@windowStart}. */
    final Map<String, Window> allWindows = new TreeMap<>();
    /** The windows that are surely final once every counted event is in: they end a minute plus the grace before the tenant's last event. */
    final Map<String, Window> closedWindows = new TreeMap<>();

    /** From the events the topology must count (valid, first copy, not late). */
    static ExpectedMetrics from(List<Envelope> counted, Duration grace) {
        ExpectedMetrics x = new ExpectedMetrics();
        Map<String, Instant> lastPerTenant = new HashMap<>();
        for (Envelope e : counted) {
            Window w = x.allWindows.computeIfAbsent(e.getTenant() + "@" + e.getEventTime().truncatedTo(ChronoUnit.MINUTES), k -> new Window());
            w.events++;
            if (e.getPayload() instanceof Purchase p) {
                w.orders++;
                w.revenue.merge(p.getTotal().getCurrency(), p.getTotal().getAmount(), BigDecimal::add);
            }
            lastPerTenant.merge(e.getTenant(), e.getEventTime(), (a, b) -> a.isAfter(b) ? a : b);
        }
        x.allWindows.forEach((key, w) -> {
            String tenant = key.substring(0, key.indexOf('@'));
            Instant start = Instant.parse(key.substring(key.indexOf('@') + 1));
            if (!start.plus(Duration.ofMinutes(1)).plus(grace).isAfter(lastPerTenant.get(tenant))) {
                x.closedWindows.put(key, w);
            }
        });
        return x;
    }

    /** Final tenant-wide 1-minute windows read from the metrics topic, and how many final records each had. */
    static final class Finals {
        final Map<String, WindowedMetrics> byWindow = new HashMap<>();
        final Map<String, Integer> count = new TreeMap<>();

        void poll(KafkaConsumer<String, WindowedMetrics> metrics) {
            for (ConsumerRecord<String, WindowedMetrics> r : metrics.poll(Duration.ofMillis(200))) {
                WindowedMetrics m = r.value();
                if (m.getFinal$() && m.getStoreId() == null && m.getChannel() == null && m.getWindowSize().equals("PT1M")) {
                    String key = m.getTenant() + "@" + m.getWindowStart();
                    byWindow.put(key, m);
                    count.merge(key, 1, Integer::sum);
                }
            }
        }

        long events() {
            return byWindow.values().stream().mapToLong(WindowedMetrics::getEvents).sum();
        }
    }

    /** Every final equals the input's value exactly (events, orders, revenue per currency); one final record per window. */
    void assertMatches(Finals finals) {
        assertThat(finals.byWindow.keySet()).as("final windows").containsAll(closedWindows.keySet());
        for (Map.Entry<String, WindowedMetrics> e : finals.byWindow.entrySet()) {
            Window want = allWindows.get(e.getKey());
            assertThat(want).as("final window %s holds events of the input", e.getKey()).isNotNull();
            WindowedMetrics actual = e.getValue();
            assertThat(actual.getEvents()).as("events in %s", e.getKey()).isEqualTo(want.events);
            assertThat(actual.getOrders()).as("orders in %s", e.getKey()).isEqualTo(want.orders);
            Map<String, BigDecimal> revenue = new TreeMap<>();
            for (CurrencyRevenue c : actual.getRevenue()) {
                revenue.put(c.getCurrency(), c.getRevenue());
            }
            assertThat(revenue).as("revenue in %s", e.getKey()).isEqualTo(want.revenue);
        }
        assertThat(finals.count.values()).as("committed final records per window").containsOnly(1);
    }
}
