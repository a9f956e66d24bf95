package io.pulse.ingest.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulse.avro.Envelope;
import io.pulse.avro.PageView;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.TopicProvisioner;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.testing.Envelopes;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery path against a real broker that goes away and comes back (stopped and started again on the
 * same data directory and ports), and a restart of the delivery path itself while the broker is away.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaEventDeliveryIT {
    private static final SourceId WEB = new SourceId("http", "webshop");
    private static final SourceId POS = new SourceId("jdbc", "pos-db");
    private static final List<String> TENANTS = List.of("contoso", "fabrikam");
    /** Each delivery must be durable (acknowledged or in the outbox) within this, even with the broker down. */
    private static final Duration DURABLE_WITHIN = Duration.ofSeconds(15);
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;
    private KafkaClientSettings kafka;
    private final SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
    private final List<KafkaEventDelivery> deliveries = new ArrayList<>();
    /** Event ids in the order each (source, tenant) had them accepted: the order they must have on their partition. */
    private final Map<String, List<String>> acceptedOrder = new LinkedHashMap<>();

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.builder(dir.resolve("broker")).build().start();
        kafka = new KafkaClientSettings(new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        try (Admin admin = Admin.create(kafka.admin("delivery-it-admin"))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).ensure(TopicCatalogue.all());
        }
    }

    @AfterEach
    void stopEverything() {
        deliveries.forEach(KafkaEventDelivery::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyEventArrivesOnceAndInOrderPerSourceAcrossABrokerOutageAndARestartOfTheDeliveryPath() throws Exception {
        KafkaEventDelivery delivery = open(new SimpleMeterRegistry());

        deliverRounds(delivery, 0, 10);
        assertThat(delivery.status().delivered()).as("acknowledged while the broker is up").isEqualTo(40);
        assertThat(delivery.status().outboxEvents()).isZero();

        broker.stop();
        deliverRounds(delivery, 10, 20);
        await().atMost(DEADLINE).until(() -> !delivery.status().circuit().equals("CLOSED"));
        assertThat(delivery.status().outboxEvents()).isEqualTo(40);
        assertThat(delivery.status().online()).isFalse();

        delivery.close();
        deliveries.remove(delivery);
        KafkaEventDelivery restarted = open(new SimpleMeterRegistry());
        assertThat(restarted.status().outboxEvents()).as("the outbox survives a restart of the delivery path").isEqualTo(40);
        deliverRounds(restarted, 20, 25);
        assertThat(restarted.status().outboxEvents()).isEqualTo(60);

        broker.start();
        await().atMost(DEADLINE).until(() -> restarted.status().online());
        deliverRounds(restarted, 25, 30);

        List<ConsumerRecord<byte[], byte[]>> events = readAll(TopicCatalogue.EVENTS, 120);
        List<String> ids = events.stream().map(r -> decode(r).getEventId()).toList();
        List<String> accepted = acceptedOrder.values().stream().flatMap(List::stream).toList();
        assertThat(ids).as("every accepted event exactly once").hasSize(120).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
        Map<String, List<String>> arrivedOrder = new LinkedHashMap<>();
        events.stream()
                .sorted(java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition()).thenComparingLong(ConsumerRecord::offset))
                .forEach(r -> arrivedOrder.computeIfAbsent(key(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE),
                        decode(r).getTenant()), k -> new ArrayList<>()).add(decode(r).getEventId()));
        assertThat(arrivedOrder).as("in order per source (on each tenant's partition)").isEqualTo(acceptedOrder);
        assertThat(events).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(decode(r).getEventTime().toEpochMilli()));
    }

    @Test
    void sendsATooLargeEventToTheDeadLetterTopicWithItsHeadersAndDeliversTheRest() throws Exception {
        KafkaEventDelivery delivery = open(new SimpleMeterRegistry());
        Envelope tooLarge = Envelopes.pageView("contoso", "10:00:00").build();
        tooLarge.setPayload(PageView.newBuilder().setUrl("/" + "x".repeat(1_200_000)).build());
        Envelope fine = Envelopes.pageView("contoso", "10:00:01").build();

        delivery.deliver(WEB, List.of(tooLarge, fine)).get(DURABLE_WITHIN.toSeconds(), TimeUnit.SECONDS);

        ConsumerRecord<byte[], byte[]> dead = readAll(TopicCatalogue.DEAD_LETTERS, 1).get(0);
        assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.ERROR_CLASS)).isEqualTo(RecordTooLargeException.class.getName());
        assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.ERROR_STAGE)).isEqualTo("ingest");
        assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.SOURCE)).isEqualTo("http/webshop");
        assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.RETRY_COUNT)).isEqualTo("0");
        assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.FIRST_FAILURE_TIME)).isNotBlank();
        assertThat(DeadLetterHeaders.text(dead.headers(), DeliveryRecords.EVENT_ID_HEADER)).isEqualTo(tooLarge.getEventId());
        assertThat(DeadLetterHeaders.text(dead.headers(), DeliveryRecords.VALUE_FORMAT_HEADER)).isEqualTo(DeliveryRecords.OMITTED);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("contoso");
        assertThat(readAll(TopicCatalogue.EVENTS, 1)).extracting(r -> decode(r).getEventId()).containsExactly(fine.getEventId());
        assertThat(delivery.status().deadLettered()).isEqualTo(1);
    }

    /** Rounds [from, to): in each, both sources deliver one batch with an event for each tenant, waiting until it is durable. */
    private void deliverRounds(KafkaEventDelivery delivery, int from, int to) throws Exception {
        for (int round = from; round < to; round++) {
            for (SourceId source : List.of(WEB, POS)) {
                int r = round;
                List<Envelope> batch = TENANTS.stream().map(t -> event(t, source, r)).toList();
                delivery.deliver(source, batch).get(DURABLE_WITHIN.toSeconds(), TimeUnit.SECONDS);
                batch.forEach(e -> acceptedOrder.computeIfAbsent(key(source.value(), e.getTenant()), k -> new ArrayList<>())
                        .add(e.getEventId()));
            }
        }
    }

    private KafkaEventDelivery open(SimpleMeterRegistry meters) {
        DeliverySettings settings = DeliverySettings.defaults(dir.resolve("ingest"))
                .withDeliveryTimeout(Duration.ofSeconds(3))
                .withCircuit(50, 2, Duration.ofSeconds(1))
                .withRetries(5, Duration.ofMillis(100), Duration.ofSeconds(1))
                .withTransactionalId(Optional.of("pulse-ingest-delivery-it"))
                .withProducerOverrides(Map.of(
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1500,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000,
                        ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 100,
                        ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500,
                        ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 1000,
                        ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 1000));
        KafkaEventDelivery delivery = KafkaEventDelivery.create(kafka, serdes, settings, meters);
        deliveries.add(delivery);
        return delivery;
    }

    private static Envelope event(String tenant, SourceId source, int round) {
        Envelope e = Envelopes.pageView(tenant, String.format("10:%02d:%02d", round / 60, round % 60)).build();
        e.setSessionId(source.value() + "#" + round);
        return e;
    }

    private static String key(String source, String tenant) {
        return source + "@" + tenant;
    }

    private Envelope decode(ConsumerRecord<byte[], byte[]> r) {
        return serdes.forValue(TopicCatalogue.EVENTS).deserializer().deserialize(TopicCatalogue.EVENTS.name(), r.value());
    }

    /** Every committed record of the topic, once at least {@code expected} are there, up to the end offsets then. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(Topic<?, ?> topic, int expected) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.consumer("delivery-it-" + topic.name(), "delivery-it"));
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
        // As every Pulse consumer reads: what an aborted or fenced transaction wrote is not there.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, topic.partitions()).mapToObj(p -> new TopicPartition(topic.name(), p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(DEADLINE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            // Anything beyond what was expected (a duplicate) has been written by now: read to the end offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(DEADLINE).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }
}
