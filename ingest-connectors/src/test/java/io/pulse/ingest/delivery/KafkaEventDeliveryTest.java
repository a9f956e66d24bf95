package io.pulse.ingest.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulse.avro.Alert;
import io.pulse.avro.AlertMetric;
import io.pulse.avro.Envelope;
import io.pulse.avro.PageView;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.testing.Envelopes;
import io.pulse.common.topics.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class KafkaEventDeliveryTest {
    private static final SourceId WEB = new SourceId("http", "webshop");
    private static final SourceId POS = new SourceId("jdbc", "pos-db");
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScriptedProducer producer = new ScriptedProducer();
    private final List<KafkaEventDelivery> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(KafkaEventDelivery::close);
    }

    @Test
    void deliversStraightToTheEventsTopicKeyedByTenantAtEventTimeWithTheSourceHeader() throws Exception {
        KafkaEventDelivery delivery = open(settings());
        Envelope event = Envelopes.pageView("contoso", "10:00:05").build();

        delivery.deliver(WEB, List.of(event)).get(5, TimeUnit.SECONDS);

        ProducerRecord<byte[], byte[]> sent = producer.sentTo(TopicCatalogue.EVENTS.name()).get(0);
        assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("contoso");
        assertThat(sent.timestamp()).isEqualTo(Envelopes.at("10:00:05").toEpochMilli());
        assertThat(header(sent, DeadLetterHeaders.SOURCE)).isEqualTo("http/webshop");
        assertThat(decode(sent).getEventId()).isEqualTo(event.getEventId());
        assertThat(delivery.status()).isEqualTo(new DeliveryStatus(TopicCatalogue.EVENTS.name(), "CLOSED", 0, 1, 0));
        assertThat(meters.get("pulse.ingest.delivery.delivered").counter().count()).isEqualTo(1);
    }

    @Test
    void sendsATooLargeEventToTheDeadLetterTopicAtOnceWithItsHeaders() throws Exception {
        Envelope large = Envelopes.pageView("contoso", "10:00:05").build();
        Envelope fine = Envelopes.pageView("contoso", "10:00:06").build();
        producer.failure = r -> r.topic().equals(TopicCatalogue.EVENTS.name()) && decode(r).getEventId().equals(large.getEventId())
                ? new RecordTooLargeException("The message is 2000000 bytes when serialized") : null;
        KafkaEventDelivery delivery = open(settings());

        delivery.deliver(WEB, List.of(large, fine)).get(5, TimeUnit.SECONDS);

        assertThat(producer.sentTo(TopicCatalogue.EVENTS.name())).extracting(r -> decode(r).getEventId()).containsExactly(fine.getEventId());
        ProducerRecord<byte[], byte[]> dead = producer.sentTo(TopicCatalogue.DEAD_LETTERS.name()).get(0);
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(RecordTooLargeException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).contains("2000000 bytes");
        assertThat(header(dead, DeadLetterHeaders.ERROR_STAGE)).isEqualTo("ingest");
        assertThat(header(dead, DeadLetterHeaders.SOURCE)).isEqualTo("http/webshop");
        assertThat(header(dead, DeadLetterHeaders.RETRY_COUNT)).isEqualTo("0");
        assertThat(Instant.parse(header(dead, DeadLetterHeaders.FIRST_FAILURE_TIME))).isNotNull();
        assertThat(header(dead, DeliveryRecords.EVENT_ID_HEADER)).isEqualTo(large.getEventId());
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("contoso");
        assertThat(delivery.status().deadLettered()).isEqualTo(1);
        assertThat(delivery.status().outboxEvents()).isZero();
        assertThat(meters.get("pulse.ingest.delivery.dead.lettered").tag("reason", "permanent").counter().count()).isEqualTo(1);
    }

    @Test
    void sendsAnEventThatDoesNotMatchTheSchemaToTheDeadLetterTopicAsJson() throws Exception {
        Envelope invalid = Envelopes.pageView("contoso", "10:00:05").build();
        invalid.setSource(null); // a required field
        KafkaEventDelivery delivery = open(settings());

        delivery.deliver(WEB, List.of(invalid)).get(5, TimeUnit.SECONDS);

        ProducerRecord<byte[], byte[]> dead = producer.sentTo(TopicCatalogue.DEAD_LETTERS.name()).get(0);
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(org.apache.kafka.common.errors.SerializationException.class.getName());
        assertThat(header(dead, DeliveryRecords.VALUE_FORMAT_HEADER)).isEqualTo(DeliveryRecords.AVRO_JSON);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains(invalid.getEventId());
        assertThat(producer.sentTo(TopicCatalogue.EVENTS.name())).isEmpty();
    }

    @Test
    void keepsEventsInTheOutboxWhileTheBrokerIsUnreachableAndDrainsThemInOrderOnceItIsBack() throws Exception {
        producer.failure = unreachableForEvents();
        KafkaEventDelivery delivery = open(settings());
        List<String> accepted = new ArrayList<>();

        for (int i = 0; i < 6; i++) {
            List<Envelope> batch = List.of(event(i, "a"), event(i, "b"));
            batch.forEach(e -> accepted.add(e.getEventId()));
            delivery.deliver(i % 2 == 0 ? WEB : POS, batch).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }

        // The outbox took the batches (deliver completed); the drainer's failing attempts open the circuit asynchronously.
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(delivery.status().circuit()).isIn("OPEN", "HALF_OPEN"));
        assertThat(delivery.status().outboxEvents()).isEqualTo(12);
        assertThat(delivery.status().online()).isFalse();
        assertThat(meters.get("pulse.ingest.delivery.outbox.events").gauge().value()).isEqualTo(12);
        assertThat(producer.sentTo(TopicCatalogue.EVENTS.name())).isEmpty();

        producer.failure = r -> null;

        await().atMost(DEADLINE).until(() -> delivery.status().online());
        assertThat(producer.sentTo(TopicCatalogue.EVENTS.name())).extracting(r -> decode(r).getEventId()).containsExactlyElementsOf(accepted);
        assertThat(producer.sentTo(TopicCatalogue.EVENTS.name())).extracting(r -> header(r, DeadLetterHeaders.SOURCE))
                .containsExactly("http/webshop", "http/webshop", "jdbc/pos-db", "jdbc/pos-db", "http/webshop", "http/webshop",
                        "jdbc/pos-db", "jdbc/pos-db", "http/webshop", "http/webshop", "jdbc/pos-db", "jdbc/pos-db");
        assertThat(meters.get("pulse.ingest.delivery.circuit.state").tag("state", "closed").gauge().value()).isEqualTo(1);

        Envelope after = event(99, "direct");
        delivery.deliver(WEB, List.of(after)).get(5, TimeUnit.SECONDS);
        assertThat(producer.sentTo(TopicCatalogue.EVENTS.name())).last().extracting(r -> decode(r).getEventId()).isEqualTo(after.getEventId());
    }

    @Test
    void opensTheCircuitAfterUnreachableSendsAndShowsItInStatusAndMetrics() throws Exception {
        producer.failure = unreachableForEvents();
        KafkaEventDelivery delivery = open(settings().withCircuit(50, 2, Duration.ofMinutes(5)));

        delivery.deliver(WEB, List.of(event(1, "a"))).get(5, TimeUnit.SECONDS);
        delivery.deliver(WEB, List.of(event(2, "a"))).get(5, TimeUnit.SECONDS);

        await().atMost(DEADLINE).until(() -> delivery.status().circuit().equals("OPEN"));
        assertThat(meters.get("pulse.ingest.delivery.circuit.state").tag("state", "open").gauge().value()).isEqualTo(1);
        assertThat(meters.get("pulse.ingest.delivery.circuit.state").tag("state", "closed").gauge().value()).isZero();
        int attempts = producer.failedSends().size();

        delivery.deliver(WEB, List.of(event(3, "a"))).get(5, TimeUnit.SECONDS);

        assertThat(producer.failedSends()).as("an open circuit sends nothing").hasSize(attempts);
        assertThat(delivery.status().outboxEvents()).isEqualTo(3);
    }

    @Test
    void retriesATransientFailureThenDeadLettersTheEventAndRaisesAnAlert() throws Exception {
        Envelope stuck = event(1, "stuck");
        producer.failure = r -> r.topic().equals(TopicCatalogue.EVENTS.name()) && decode(r).getEventId().equals(stuck.getEventId())
                ? new CorruptRecordException("record failed its CRC on the broker") : null;
        KafkaEventDelivery delivery = open(settings().withRetries(2, Duration.ofMillis(10), Duration.ofMillis(50)));
        Envelope next = event(2, "next");

        delivery.deliver(POS, List.of(stuck)).get(5, TimeUnit.SECONDS);
        delivery.deliver(POS, List.of(next)).get(5, TimeUnit.SECONDS);

        await().atMost(DEADLINE).until(() -> delivery.status().online());
        ProducerRecord<byte[], byte[]> dead = producer.sentTo(TopicCatalogue.DEAD_LETTERS.name()).get(0);
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(CorruptRecordException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.RETRY_COUNT)).isEqualTo("3");
        assertThat(header(dead, DeadLetterHeaders.SOURCE)).isEqualTo("jdbc/pos-db");
        assertThat(header(dead, DeliveryRecords.VALUE_FORMAT_HEADER)).isEqualTo(DeliveryRecords.CONFLUENT_AVRO);
        assertThat(decode(dead).getEventId()).isEqualTo(stuck.getEventId());
        assertThat(producer.failedSends()).hasSize(4); // the direct send and three attempts from the outbox

        ProducerRecord<byte[], byte[]> alertRecord = producer.sentTo(TopicCatalogue.ALERTS.name()).get(0);
        Alert alert = serdes.forValue(TopicCatalogue.ALERTS).deserializer().deserialize(TopicCatalogue.ALERTS.name(), alertRecord.value());
        assertThat(alert.getMetric()).isEqualTo(AlertMetric.DELIVERY);
        assertThat(alert.getTenant()).isEqualTo("contoso");
        assertThat(alert.getSource()).isEqualTo("jdbc/pos-db");
        assertThat(alert.getMessage()).contains(stuck.getEventId()).contains("CorruptRecordException");
        assertThat(alert.getValue()).isEqualTo(3.0);
        assertThat(new String(alertRecord.key(), StandardCharsets.UTF_8)).startsWith("contoso/*/*/DELIVERY/");
        assertThat(meters.get("pulse.ingest.delivery.alerts").counter().count()).isEqualTo(1);
        assertThat(meters.get("pulse.ingest.delivery.dead.lettered").tag("reason", "retries-exhausted").counter().count()).isEqualTo(1);
        assertThat(producer.sentTo(TopicCatalogue.EVENTS.name())).extracting(r -> decode(r).getEventId()).containsExactly(next.getEventId());
    }

    @Test
    void refusesEventsWhenTheOutboxIsFullNamingTheSetting() throws Exception {
        producer.failure = unreachableForEvents();
        KafkaEventDelivery delivery = open(settings().withOutboxMaxBytes(1 << 20).withCircuit(50, 1, Duration.ofMinutes(5)));
        delivery.deliver(WEB, List.of(event(0, "probe"))).get(5, TimeUnit.SECONDS);
        await().atMost(DEADLINE).until(() -> delivery.status().circuit().equals("OPEN"));

        Throwable refused = null;
        for (int i = 1; i < 100 && refused == null; i++) {
            try {
                delivery.deliver(WEB, List.of(bigEvent(i, 100_000))).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                refused = e.getCause();
            }
        }

        assertThat(refused).isInstanceOf(DeliveryUnavailableException.class)
                .hasMessageContaining("full").hasMessageContaining("'pulse.ingest.outbox-max-mb'");
        assertThat(meters.get("pulse.ingest.delivery.refused").counter().count()).isEqualTo(1);
    }

    @Test
    void aNewDeliveryOnTheSameOutboxKeepsAndLaterDrainsWhatTheOldOneHeld() throws Exception {
        producer.failure = unreachableForEvents();
        KafkaEventDelivery first = open(settings());
        List<Envelope> events = IntStream.range(0, 5).mapToObj(i -> event(i, "x")).toList();
        first.deliver(WEB, events).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        first.close();
        opened.remove(first);

        ScriptedProducer second = new ScriptedProducer();
        KafkaEventDelivery reopened = KafkaEventDelivery.create(() -> second, serdes.forValue(TopicCatalogue.EVENTS).serializer(),
                serdes.forValue(TopicCatalogue.ALERTS).serializer(), settings(), new SimpleMeterRegistry(), Clock.systemUTC());
        opened.add(reopened);

        await().atMost(DEADLINE).until(() -> reopened.status().online());
        assertThat(second.sentTo(TopicCatalogue.EVENTS.name())).extracting(r -> decode(r).getEventId())
                .containsExactlyElementsOf(events.stream().map(Envelope::getEventId).toList());
    }

    @Test
    void replacesAProducerThatStopsAnsweringSoItsEventsGoToTheOutboxAndOnThroughTheNextOne() throws Exception {
        ScriptedProducer stuck = new ScriptedProducer();
        stuck.hang = r -> r.topic().equals(TopicCatalogue.EVENTS.name());
        ScriptedProducer next = new ScriptedProducer();
        java.util.Iterator<ScriptedProducer> producers = List.of(stuck, next).iterator();
        KafkaEventDelivery delivery = KafkaEventDelivery.create(producers::next, serdes.forValue(TopicCatalogue.EVENTS).serializer(),
                serdes.forValue(TopicCatalogue.ALERTS).serializer(), settings().withDeliveryTimeout(Duration.ofMillis(200)).withCircuit(50, 5, Duration.ofMillis(200)),
                meters, Clock.systemUTC());
        opened.add(delivery);
        List<Envelope> events = List.of(event(1, "a"), event(2, "b"), event(3, "c"));

        delivery.deliver(WEB, events).get(5, TimeUnit.SECONDS);

        assertThat(stuck.closed()).isTrue();
        await().atMost(DEADLINE).until(() -> delivery.status().online());
        assertThat(next.sentTo(TopicCatalogue.EVENTS.name())).extracting(r -> decode(r).getEventId())
                .containsExactlyElementsOf(events.stream().map(Envelope::getEventId).toList());
        assertThat(stuck.history()).isEmpty();
    }

    @Test
    void refusesDeliveriesOnceClosed() {
        KafkaEventDelivery delivery = open(settings());
        delivery.close();

        CompletableFuture<Void> late = delivery.deliver(WEB, List.of(event(1, "late")));

        assertThatThrownBy(late::join).hasCauseInstanceOf(DeliveryUnavailableException.class).hasMessageContaining("closed");
    }

    @Test
    void inTransactionsCommitsEachDirectBatchBeforeItsFutureCompletes() throws Exception {
        MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaEventDelivery delivery = open(() -> mock, settings().withTransactionalId(Optional.of("pulse-ingest-test")));

        delivery.deliver(WEB, List.of(event(1, "a"), event(2, "b"))).get(5, TimeUnit.SECONDS);

        assertThat(mock.transactionInitialized()).isTrue();
        assertThat(mock.commitCount()).isEqualTo(1);
        assertThat(mock.history()).extracting(r -> decode(r).getSessionId()).containsExactly("s-1-a", "s-2-b");
        assertThat(delivery.status().delivered()).isEqualTo(2);
    }

    @Test
    void inTransactionsAStalledTransactionIsNeverCommittedAndItsEventsAreCommittedOnceByTheNextProducer() throws Exception {
        MockProducer<byte[], byte[]> stalled = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        MockProducer<byte[], byte[]> next = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        java.util.Iterator<MockProducer<byte[], byte[]>> producers = List.of(stalled, next).iterator();
        KafkaEventDelivery delivery = open(producers::next, settings().withDeliveryTimeout(Duration.ofMillis(200))
                .withTransactionalId(Optional.of("pulse-ingest-test")));

        delivery.deliver(WEB, List.of(event(1, "a"), event(2, "b"))).get(10, TimeUnit.SECONDS);

        await().atMost(DEADLINE).until(() -> delivery.status().outboxEvents() == 0 && delivery.status().delivered() == 2);
        assertThat(stalled.closed()).as("the stalled producer is closed, to be fenced by the next").isTrue();
        assertThat(stalled.commitCount()).isZero();
        assertThat(next.transactionInitialized()).isTrue();
        assertThat(next.commitCount()).isEqualTo(1);
        assertThat(next.history()).extracting(r -> decode(r).getSessionId()).containsExactly("s-1-a", "s-2-b");
    }

    private KafkaEventDelivery open(java.util.function.Supplier<org.apache.kafka.clients.producer.Producer<byte[], byte[]>> producers,
                                    DeliverySettings settings) {
        KafkaEventDelivery d = KafkaEventDelivery.create(producers, serdes.forValue(TopicCatalogue.EVENTS).serializer(),
                serdes.forValue(TopicCatalogue.ALERTS).serializer(), settings, meters, Clock.systemUTC());
        opened.add(d);
        return d;
    }

    private KafkaEventDelivery open(DeliverySettings settings) {
        KafkaEventDelivery d = KafkaEventDelivery.create(() -> producer, serdes.forValue(TopicCatalogue.EVENTS).serializer(),
                serdes.forValue(TopicCatalogue.ALERTS).serializer(), settings, meters, Clock.systemUTC());
        opened.add(d);
        return d;
    }

    private DeliverySettings settings() {
        return DeliverySettings.defaults(dir)
                .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(100))
                .withCircuit(50, 2, Duration.ofMillis(200));
    }

    private static java.util.function.Function<ProducerRecord<byte[], byte[]>, RuntimeException> unreachableForEvents() {
        return r -> r.topic().equals(TopicCatalogue.EVENTS.name())
                ? new TimeoutException("Expiring 1 record(s) for " + r.topic() + ": 3000 ms has passed since batch creation") : null;
    }

    private Envelope decode(ProducerRecord<byte[], byte[]> r) {
        return serdes.forValue(TopicCatalogue.EVENTS).deserializer().deserialize(TopicCatalogue.EVENTS.name(), r.value());
    }

    private static Envelope event(int i, String tag) {
        Envelope e = Envelopes.pageView("contoso", "10:00:05").build();
        e.setSessionId("s-" + i + "-" + tag);
        return e;
    }

    private static Envelope bigEvent(int i, int bytes) {
        Envelope e = event(i, "big");
        e.setPayload(PageView.newBuilder().setUrl("/" + "x".repeat(bytes)).build());
        return e;
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return DeadLetterHeaders.text(r.headers(), name);
    }
}
