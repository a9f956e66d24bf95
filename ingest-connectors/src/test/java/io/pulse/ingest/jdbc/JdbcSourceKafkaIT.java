package io.pulse.ingest.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulse.avro.Envelope;
import io.pulse.avro.Purchase;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.TopicProvisioner;
import io.pulse.common.registry.RestSchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import io.pulse.embedded.registry.EmbeddedSchemaRegistry;
import io.pulse.ingest.delivery.DeliverySettings;
import io.pulse.ingest.delivery.KafkaEventDelivery;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rows of a real PostgreSQL table reach a real Kafka broker's events topic through the production delivery path. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JdbcSourceKafkaIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String TABLE = "pos_sales";

    @TempDir
    Path dir;

    private EmbeddedPostgres postgres;
    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registry;
    private KafkaClientSettings kafka;
    private SerdeFactory serdes;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        sql("CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, tenant text, receipt_no text NOT NULL, sku text NOT NULL DEFAULT 'sku-1',"
                + " total numeric(12, 2) NOT NULL, sold_at timestamptz NOT NULL DEFAULT now(),"
                + " updated_at timestamptz NOT NULL DEFAULT now())");
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        kafka = new KafkaClientSettings(new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        try (Admin admin = Admin.create(kafka.admin("jdbc-it-admin"))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).ensure(TopicCatalogue.all());
        }
        registry = EmbeddedSchemaRegistry.create(kafka.common(), 0).start();
        serdes = new SerdeFactory(new RestSchemaRegistryClient(registry.url()));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void deliversEveryRowExactlyOnceToTheEventsTopicAcrossARestartOfTheConnector() throws Exception {
        insertSales(1, 30);
        JdbcSourceConfig config = config();

        // First run of the process: connector and delivery path.
        KafkaEventDelivery firstDelivery = delivery();
        JdbcPollingSource first = new JdbcPollingSource(config, firstDelivery, firstDelivery, Clock.systemUTC());
        open.add(first);
        first.start();
        await().atMost(DEADLINE).until(() -> first.status().position().lastId() == 30);
        first.close();
        firstDelivery.close();

        // Written while it was down: new rows, an update, a row without tenant.
        insertSales(31, 40);
        sql("UPDATE " + TABLE + " SET total = 5.55, updated_at = now() WHERE receipt_no = 'R-5'");
        sql("INSERT INTO " + TABLE + " (tenant, receipt_no, total) VALUES (NULL, 'R-orphan', 1.00)");
        insertSales(41, 50);
        long last = scalar("SELECT max(id) FROM " + TABLE);

        // Second run: a new connector and delivery path over the same position and outbox directories.
        KafkaEventDelivery secondDelivery = delivery();
        JdbcPollingSource second = new JdbcPollingSource(config, secondDelivery, secondDelivery, Clock.systemUTC());
        open.add(second);
        second.start();
        await().atMost(DEADLINE).until(() -> second.status().position().lastId() == last);

        List<Envelope> events = readAll(TopicCatalogue.EVENTS, serdes.forValue(TopicCatalogue.EVENTS).deserializer(), ConsumerRecord::value);
        assertThat(events).extracting(Envelope::getEventId).doesNotHaveDuplicates();
        Map<String, Long> perReceipt = events.stream()
                .collect(Collectors.groupingBy(e -> ((Purchase) e.getPayload()).getOrderId(), Collectors.counting()));
        Map<String, Long> expected = new HashMap<>();
        for (int i = 1; i <= 50; i++) {
            expected.put("R-" + i, i == 5 ? 2L : 1L);
        }
        assertThat(perReceipt).isEqualTo(expected);
        assertThat(events).allSatisfy(e -> assertThat(e.getTenant()).isEqualTo("contoso"));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(TopicCatalogue.DEAD_LETTERS,
                serdes.forValue(TopicCatalogue.DEAD_LETTERS).deserializer(), Function.identity());
        assertThat(deadLetters).singleElement().satisfies(r -> {
            assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE)).isEqualTo("jdbc/pos");
            assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_STAGE)).isEqualTo("ingest");
            assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("column 'tenant' (map.tenant.column) is NULL");
            assertThat(DeadLetterHeaders.text(r.headers(), "pulse.origin.table")).isEqualTo(TABLE);
            assertThat(DeadLetterHeaders.text(r.headers(), "pulse.origin.row-id")).isEqualTo("41");
            assertThat(new String(r.value())).contains("\"receipt_no\":\"R-orphan\"");
        });
    }

    private KafkaEventDelivery delivery() {
        KafkaEventDelivery delivery = KafkaEventDelivery.create(kafka, serdes, DeliverySettings.defaults(dir.resolve("ingest")),
                new SimpleMeterRegistry());
        open.add(delivery);
        return delivery;
    }

    private JdbcSourceConfig config() {
        Map<String, String> m = new HashMap<>();
        m.put("url", postgres.getJdbcUrl("postgres", "postgres"));
        m.put("table", TABLE);
        m.put("mode", "timestamp+incrementing");
        m.put("incrementing.column", "id");
        m.put("timestamp.column", "updated_at");
        m.put("timestamp.delay", "0s");
        m.put("batch.size", "7");
        m.put("poll.interval", "100ms");
        m.put("map.tenant.column", "tenant");
        m.put("map.event-type.value", "PURCHASE");
        m.put("map.event-time.column", "sold_at");
        m.put("map.channel.value", "STORE");
        m.put("map.order-id.column", "receipt_no");
        m.put("map.total.column", "total");
        m.put("map.currency.value", "EUR");
        m.put("map.product-id.column", "sku");
        Map<String, String> file = new HashMap<>();
        m.forEach((k, v) -> file.put(JdbcSourceKeys.key("pos", k), v));
        return JdbcSourceConfig.load("pos", file, Map.of(), dir.resolve("jdbc-positions"));
    }

    /** Everything on the topic up to its current end offsets. */
    private <V, T> List<T> readAll(Topic<?, V> topic, Deserializer<V> values, Function<ConsumerRecord<byte[], V>, T> what) {
        List<T> all = new ArrayList<>();
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(kafka.consumer("jdbc-it-" + topic.name(), "jdbc-it-reader"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(DEADLINE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> all.add(what.apply(r)));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return all;
    }

    private void insertSales(int from, int to) throws SQLException {
        for (int i = from; i <= to; i++) {
            sql("INSERT INTO " + TABLE + " (tenant, receipt_no, total) VALUES ('contoso', 'R-" + i + "', " + (i + 0.99) + ")");
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private long scalar(String query) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
