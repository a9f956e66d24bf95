package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.Envelope;
import io.pulse.avro.Purchase;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.GeneratedEvent;
import io.pulse.ingest.generator.GeneratedEvent.Kind;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.ingest.generator.TrafficMix;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology's promise on real parts: from a stream with duplicates, late and invalid events, every
 * final per-minute metric equals the value computed independently from the input (exact decimals),
 * rejects and late events are all accounted for, and a restart of the streams instance in the
 * middle of the run changes none of it (exactly_once_v2).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class EngagementExactnessIT {
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final long SEED = 7_2026L;
    private static final int EVENTS = 4000;
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final LocalPulse pulse = new LocalPulse();

    @AfterEach
    void stop() {
        pulse.close();
    }

    @Test
    void finalMetricsRejectsAndLateCountsEqualTheInputAcrossARestart() throws Exception {
        PulseConfig config = LocalPulse.config(dataDir, Map.of(
                ConfigKeys.WINDOW_GRACE, GRACE.toSeconds() + "s",
                ConfigKeys.HOURLY_WINDOW_GRACE, GRACE.toSeconds() + "s",
                ConfigKeys.LAKE_FLUSH_INTERVAL, "1s"));
        pulse.start(config);

        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        List<GeneratedEvent> traffic = traffic(base);
        int half = traffic.size() / 2;

        Serializer<Envelope> serializer = pulse.pipeline().serdes().forValue(TopicCatalogue.EVENTS).serializer();
        publish(traffic.subList(0, half), serializer);
        // Restart the streams instance (and everything else) mid-run, while the second half is published.
        pulse.stopPipeline();
        CompletableFuture<Void> secondHalf = CompletableFuture.runAsync(() -> publish(traffic.subList(half, traffic.size()), serializer));
        pulse.startPipeline(config);
        secondHalf.get(2, TimeUnit.MINUTES);

        Expected expected = Expected.from(traffic);
        // The input really holds what this test is about: many closed windows, and faults of every kind.
        assertThat(expected.closedWindows).hasSizeGreaterThan(40);
        assertThat(expected.rejects.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(30);
        assertThat(expected.late.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(30);
        assertThat(traffic.stream().filter(g -> g.kind() == Kind.DUPLICATE).count()).isGreaterThan(60);
        Map<String, WindowedMetrics> finals = new HashMap<>();
        Map<String, Integer> finalCount = new HashMap<>();
        Map<String, String> everyFinal = new TreeMap<>(); // every final record on the topic, all window sizes and stores
        Map<String, Integer> rejects = new TreeMap<>();
        Map<String, Integer> late = new TreeMap<>();
        try (KafkaConsumer<String, WindowedMetrics> metrics = consumer(TopicCatalogue.METRICS);
             KafkaConsumer<String, Envelope> rejected = consumer(TopicCatalogue.REJECTS);
             KafkaConsumer<String, Envelope> lateEvents = consumer(TopicCatalogue.LATE_EVENTS)) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ZERO).untilAsserted(() -> {
                for (ConsumerRecord<String, WindowedMetrics> r : metrics.poll(Duration.ofMillis(200))) {
                    WindowedMetrics m = r.value();
                    if (m.getFinal$()) {
                        everyFinal.put(identity(m.getTenant(), m.getStoreId(), m.getChannel(), m.getWindowSize(), m.getWindowStart()), values(m));
                    }
                    if (m.getFinal$() && m.getStoreId() == null && m.getChannel() == null && m.getWindowSize().equals("PT1M")) {
                        String key = m.getTenant() + "@" + m.getWindowStart();
                        finals.put(key, m);
                        finalCount.merge(key, 1, Integer::sum);
                    }
                }
                rejected.poll(Duration.ofMillis(50)).forEach(r -> rejects.merge(r.value().getTenant(), 1, Integer::sum));
                lateEvents.poll(Duration.ofMillis(50)).forEach(r -> late.merge(r.value().getTenant(), 1, Integer::sum));
                assertThat(finals.keySet()).containsAll(expected.closedWindows.keySet());
                assertThat(rejects).isEqualTo(expected.rejects);
                assertThat(late).isEqualTo(expected.late);
            });

            // The lake's metrics dataset holds exactly the topology's final results: every one, once, value for value.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (ConsumerRecord<String, WindowedMetrics> r : metrics.poll(Duration.ofMillis(100))) {
                    WindowedMetrics m = r.value();
                    if (m.getFinal$()) {
                        everyFinal.put(identity(m.getTenant(), m.getStoreId(), m.getChannel(), m.getWindowSize(), m.getWindowStart()), values(m));
                    }
                }
                assertThat(lakeMetrics(config.lake().dir())).isEqualTo(everyFinal);
            });
            assertThat(everyFinal).as("final windows of every size, tenant-wide and per store and channel").hasSizeGreaterThan(expected.closedWindows.size());
        }

        for (Map.Entry<String, Window> e : expected.closedWindows.entrySet()) {
            WindowedMetrics actual = finals.get(e.getKey());
            Window want = e.getValue();
            assertThat(actual.getEvents()).as("events in %s", e.getKey()).isEqualTo(want.events);
            assertThat(actual.getOrders()).as("orders in %s", e.getKey()).isEqualTo(want.orders);
            Map<String, BigDecimal> revenue = new TreeMap<>();
            for (CurrencyRevenue c : actual.getRevenue()) {
                revenue.put(c.getCurrency(), c.getRevenue());
            }
            assertThat(revenue).as("revenue in %s", e.getKey()).isEqualTo(want.revenue);
        }
        assertThat(finalCount.values()).as("one final record per window, also across the restart").containsOnly(1);
    }

    /** Event times advance 250 ms per event from {@code base}; the last event per tenant closes every earlier window. */
    private static List<GeneratedEvent> traffic(Instant base) {
        TrafficMix mix = new TrafficMix(new RetailTrafficGenerator(TENANTS, SEED),
                new TrafficMix.Rates(0.04, 0.02, 0.02), Duration.ofMinutes(30), SEED);
        List<GeneratedEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(mix.next(base.plusMillis(i * 250L)));
        }
        return events;
    }

    private void publish(List<GeneratedEvent> events, Serializer<Envelope> serializer) {
        try (EventPublisher publisher = new EventPublisher(pulse.infrastructure().clients(), serializer, "exactness-it")) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            events.forEach(e -> acks.add(publisher.publish(e.event())));
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing failed", e);
        }
    }

    private static String identity(String tenant, String store, String channel, String size, Instant start) {
        return tenant + "/" + (store == null ? "*" : store) + "/" + (channel == null ? "*" : channel) + "/" + size + "/" + start;
    }

    private static String values(WindowedMetrics m) {
        StringBuilder revenue = new StringBuilder();
        for (CurrencyRevenue c : m.getRevenue()) {
            revenue.append(c.getCurrency()).append(':').append(c.getOrders()).append(':').append(c.getRevenue().toPlainString())
                    .append(':').append(c.getAverageOrderValue().toPlainString()).append(' ');
        }
        return values(m.getEvents(), m.getUniqueCustomers(), m.getSessions(), m.getCartSessions(), m.getOrders(), revenue.toString().trim(),
                m.getConversionRate(), m.getAddToCartRate());
    }

    private static String values(long events, long customers, long sessions, long cartSessions, long orders, String revenue,
                                 Double conversion, Double addToCart) {
        return "events=" + events + " customers=" + customers + " sessions=" + sessions + " cart=" + cartSessions + " orders=" + orders
                + " revenue=[" + revenue + "] conversion=" + conversion + " add-to-cart=" + addToCart;
    }

    /** The lake's metrics dataset as an analyst reads it (DuckDB over the Parquet files), in the same shape as the topic's finals. */
    private static Map<String, String> lakeMetrics(Path lakeDir) throws Exception {
        Path lake = lakeDir.resolve("metrics");
        Map<String, String> rows = new TreeMap<>();
        if (!java.nio.file.Files.isDirectory(lake)) {
            return rows;
        }
        String query = "SELECT tenant, store_id, channel, window_size, epoch_ms(window_start), events, unique_customers, sessions, cart_sessions,"
                + " orders, len(revenue), array_to_string(list_transform(revenue, r -> r.currency || ':' || r.orders || ':' || r.revenue::VARCHAR || ':'"
                + " || r.average_order_value::VARCHAR), ' '), conversion_rate, add_to_cart_rate, \"final\""
                + " FROM read_parquet('" + lake + "/**/*.parquet', hive_partitioning = false)";
        try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement sql = duck.createStatement();
             java.sql.ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                assertThat(rs.getBoolean(15)).as("only final windows reach the lake").isTrue();
                assertThat(rs.getObject(11)).as("revenue is a list, empty when there was no order").isNotNull();
                String key = identity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)));
                String revenue = rs.getLong(11) == 0 ? "" : rs.getString(12); // DuckDB joins an empty list to NULL
                String value = values(rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), revenue,
                        (Double) rs.getObject(13), (Double) rs.getObject(14));
                assertThat(rows.put(key, value)).as("window %s is in the lake once", key).isNull();
            }
        } catch (java.sql.SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("No files found")) {
                return rows;
            }
            throw e;
        }
        return rows;
    }

    private <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
        Deserializer<V> values = pulse.pipeline().serdes().forValue(topic).deserializer();
        KafkaConsumer<String, V> c = new KafkaConsumer<>(pulse.infrastructure().clients().consumer("exactness-it-" + topic.name(), "exactness-it"),
                new StringDeserializer(), values);
        c.subscribe(List.of(topic.name()));
        return c;
    }

    /** Per-minute values of one tenant, computed from the input alone. */
    private static final class Window {
        long events;
        long orders;
        final Map<String, BigDecimal> revenue = new TreeMap<>();
    }

    /** What the pipeline must produce, computed independently of the topology. */
    private static final class Expected {
        final Map<String, Window> closedWindows = new TreeMap<>();
        final Map<String, Integer> rejects = new TreeMap<>();
        final Map<String, Integer> late = new TreeMap<>();

        static Expected from(List<GeneratedEvent> traffic) {
            Expected x = new Expected();
            Map<String, Instant> lastPerTenant = new HashMap<>();
            Map<String, Window> all = new TreeMap<>();
            for (GeneratedEvent g : traffic) {
                Envelope e = g.event();
                if (g.kind() == Kind.MALFORMED) {
                    x.rejects.merge(e.getTenant(), 1, Integer::sum);
                } else if (g.kind() == Kind.LATE) {
                    x.late.merge(e.getTenant(), 1, Integer::sum);
                } else if (g.kind() == Kind.NORMAL) {
                    Window w = all.computeIfAbsent(e.getTenant() + "@" + e.getEventTime().truncatedTo(ChronoUnit.MINUTES), k -> new Window());
                    w.events++;
                    if (e.getPayload() instanceof Purchase p) {
                        w.orders++;
                        w.revenue.merge(p.getTotal().getCurrency(), p.getTotal().getAmount(), BigDecimal::add);
                    }
                    lastPerTenant.merge(e.getTenant(), e.getEventTime(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            // A window is final once stream time (the partition's latest event) passes its end plus grace; stream time is at
            // least the tenant's own last event, so windows ending a minute and the grace before it are surely closed.
            all.forEach((key, w) -> {
                String tenant = key.substring(0, key.indexOf('@'));
                Instant start = Instant.parse(key.substring(key.indexOf('@') + 1));
                if (!start.plus(Duration.ofMinutes(1)).plus(GRACE).isAfter(lastPerTenant.get(tenant))) {
                    x.closedWindows.put(key, w);
                }
            });
            return x;
        }
    }
}
