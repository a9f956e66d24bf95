package io.pulse.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Alert;
import io.pulse.avro.AlertDirection;
import io.pulse.avro.AlertMetric;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.TopicProvisioner;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The live feed against a real KRaft broker: what reaches the hub, and what must not. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LiveFeedIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
    private final ObjectMapper json = new ObjectMapper();
    private final LiveHub hub = new LiveHub(64);

    @TempDir
    Path dataDir;

    private EmbeddedKafkaBroker broker;
    private KafkaClientSettings kafka;
    private LiveFeed feed;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        kafka = new KafkaClientSettings(new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        try (Admin admin = Admin.create(kafka.admin("live-feed-it-admin"))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).ensure(List.of(TopicCatalogue.METRICS, TopicCatalogue.ALERTS));
        }
    }

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
        hub.close();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void publishesCommittedMetricsAndAlertsFromNowOnToTheirTenantOnly() throws Exception {
        try (KafkaProducer<String, WindowedMetrics> metrics = transactional("metrics", serdes.forValue(TopicCatalogue.METRICS).serializer());
             KafkaProducer<String, Alert> alerts = transactional("alerts", serdes.forValue(TopicCatalogue.ALERTS).serializer());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.copyOf(kafka.producer("live-feed-it-raw")),
                     new StringSerializer(), new ByteArraySerializer())) {
            commit(metrics, List.of(metrics("contoso", 1000, false))); // before the feed: history, not live
            feed = LiveFeed.start(kafka, serdes, new LiveEvents(Clock.systemUTC(), "test:1"), hub, "live-feed-it");
            LiveClient contoso = hub.connect("contoso", "contoso-client");
            LiveClient fabrikam = hub.connect("fabrikam", "fabrikam-client");

            commit(metrics, List.of(metrics("contoso", 1, false), metrics("fabrikam", 2, false)));
            alerts.beginTransaction();
            alerts.send(new ProducerRecord<>(TopicCatalogue.ALERTS.name(), "contoso/*/*/REVENUE/x", alert("contoso")));
            alerts.commitTransaction();
            metrics.beginTransaction(); // never committed: read_committed must not see it
            metrics.send(new ProducerRecord<>(TopicCatalogue.METRICS.name(), "contoso", metrics("contoso", 999, false)));
            metrics.flush();
            metrics.abortTransaction();
            raw.send(new ProducerRecord<>(TopicCatalogue.METRICS.name(), "contoso", "not avro".getBytes(StandardCharsets.UTF_8))).get();
            commit(metrics, List.of(metrics("contoso", 3, true))); // after the aborted and the unreadable record

            List<LiveEvent> received = drainUntil(contoso, got -> got.stream().anyMatch(e -> e.json().contains("\"events\":3"))
                    && got.stream().anyMatch(e -> e.name().equals(LiveEvent.ALERT)));
            // One partition keeps the metrics in order; the alert comes from another topic, in any order.
            List<JsonNode> metricsEvents = new ArrayList<>();
            for (LiveEvent e : received) {
                if (e.name().equals(LiveEvent.METRICS)) {
                    metricsEvents.add(json.readTree(e.json()));
                }
            }
            assertThat(metricsEvents).extracting(m -> m.get("events").asLong()).as("no history, nothing aborted, nothing unreadable")
                    .containsExactly(1L, 3L);
            assertThat(metricsEvents).extracting(m -> m.get("final").asBoolean()).containsExactly(false, true);
            assertThat(metricsEvents.get(0).get("freshness").get("servedBy").asText()).isEqualTo("test:1");
            assertThat(received).filteredOn(e -> e.name().equals(LiveEvent.ALERT)).singleElement()
                    .satisfies(a -> assertThat(json.readTree(a.json()).get("key").asText()).isEqualTo("contoso/*/*/REVENUE/x"));

            List<LiveEvent> other = drainUntil(fabrikam, got -> got.stream().anyMatch(e -> e.json().contains("\"events\":2")));
            assertThat(other).hasSize(1);
            assertThat(fabrikam.next(Duration.ofMillis(500))).as("nothing of contoso reaches fabrikam").isEmpty();
        }
    }

    @Test
    void refusesToStartWhenATopicIsNotProvisioned() {
        try (Admin admin = Admin.create(kafka.admin("live-feed-it-admin"))) {
            admin.deleteTopics(List.of(TopicCatalogue.ALERTS.name())).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        await().atMost(DEADLINE).untilAsserted(() ->
                assertThatThrownBy(() -> LiveFeed.start(kafka, serdes, new LiveEvents(Clock.systemUTC(), "t"), hub, "live-feed-it"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(TopicCatalogue.ALERTS.name()));
    }

    private <V> KafkaProducer<String, V> transactional(String id, org.apache.kafka.common.serialization.Serializer<V> values) {
        Map<String, Object> p = kafka.producer("live-feed-it-" + id);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "live-feed-it-" + id);
        KafkaProducer<String, V> producer = new KafkaProducer<>(p, new StringSerializer(), values);
        producer.initTransactions();
        return producer;
    }

    private static void commit(KafkaProducer<String, WindowedMetrics> producer, List<WindowedMetrics> values) {
        producer.beginTransaction();
        values.forEach(v -> producer.send(new ProducerRecord<>(TopicCatalogue.METRICS.name(), v.getTenant(), v)));
        producer.commitTransaction();
    }

    private static List<LiveEvent> drainUntil(LiveClient client, Predicate<List<LiveEvent>> done) throws InterruptedException {
        List<LiveEvent> received = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<LiveEvent> e = client.next(Duration.ofMillis(200));
            if (e.isPresent()) {
                received.add(e.get());
                if (done.test(received)) {
                    return received;
                }
            }
        }
        throw new AssertionError("the expected events did not arrive within " + DEADLINE + "; received " + received);
    }

    private static WindowedMetrics metrics(String tenant, long events, boolean isFinal) {
        return WindowedMetrics.newBuilder(LiveEventsTest.metrics(null, null, isFinal)).setTenant(tenant).setEvents(events).build();
    }

    private static Alert alert(String tenant) {
        return Alert.newBuilder().setTenant(tenant).setMetric(AlertMetric.REVENUE).setCurrency("EUR")
                .setDirection(AlertDirection.DIP).setValue(1).setBaselineMean(100).setBaselineStddev(10).setScore(-9.9)
                .setBaselineWindows(30).setWindowStart(Instant.parse("2026-11-21T10:28:00Z"))
                .setWindowEnd(Instant.parse("2026-11-21T10:29:00Z")).setDetectedAt(Instant.now()).build();
    }
}
