package io.pulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.PageView;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.store.LakeFile;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.LocalLakeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sink against a real Kafka broker, read back the way analysts read the lake (DuckDB). */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LakeSinkIT {
    private static final String KEY = "integration-test-pseudonymisation-key";
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final Instant FIRST_HOUR = Instant.parse("2024-05-01T22:00:00Z");
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    private EmbeddedKafkaBroker broker;
    private KafkaClientSettings kafka;
    private Path lakeDir;
    private DuckDbLake lake;
    private final ExecutorService sinkThreads = Executors.newCachedThreadPool(r -> new Thread(r, "lake-sink-under-test"));
    private final List<LakeSink> sinks = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        kafka = new KafkaClientSettings(new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        try (Admin admin = Admin.create(kafka.admin("lake-sink-it-admin"))) {
            List<NewTopic> topics = Stream.of(TopicCatalogue.EVENTS, TopicCatalogue.DEAD_LETTERS)
                    .map(LakeSinkIT::newTopic).toList();
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        lakeDir = dataDir.resolve("lake");
        lake = new DuckDbLake(lakeDir);
    }

    @AfterEach
    void stopEverything() {
        sinks.forEach(LakeSink::close);
        sinkThreads.shutdownNow();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void writesEachEventOnceIntoTenantDateHourDirectories() throws Exception {
        List<Envelope> envelopes = envelopes(240);
        produce(envelopes);
        produceGarbage(List.of(new byte[] {0, 0, 0, 0, 7, 1}, "not avro at all".getBytes()));

        LakeSink sink = sink(lakeConfig(Duration.ofMillis(300), 50), new LocalLakeStore(lakeDir));
        Future<?> running = sinkThreads.submit(sink);
        await().atMost(DEADLINE).until(() -> lake.rows() >= envelopes.size());
        sink.close();
        running.get(10, TimeUnit.SECONDS);

        assertThat(lake.rows()).isEqualTo(envelopes.size());
        assertThat(lake.distinctEventIds()).isEqualTo(envelopes.size());
        assertThat(directoriesHoldingEachEvent()).isEqualTo(expectedDirectories(envelopes));
        assertThat(committedFileNames()).allSatisfy(name -> assertThat(BatchFileName.parse(name)).isPresent());
        assertThat(lake.number("SELECT count(*) FROM " + lake.events() + " WHERE customer_key IS NULL OR length(customer_key) <> 64"))
                .isZero();
        assertThat(committedOffsetsTotal()).as("every record, dead letters included, is committed").isEqualTo(envelopes.size() + 2L);

        List<ConsumerRecord<byte[], byte[]>> deadLetters = readDeadLetters(2);
        assertThat(deadLetters).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_STAGE))
                .containsOnly("lake-sink");
        assertThat(deadLetters).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_TOPIC))
                .containsOnly(TopicCatalogue.EVENTS.name());
        assertThat(deadLetters).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder(new byte[] {0, 0, 0, 0, 7, 1}, "not avro at all".getBytes());
    }

    @Test
    void countsEachEventOnceAfterACrashBetweenRenames() throws Exception {
        List<Envelope> envelopes = envelopes(400);
        produce(envelopes);

        // First run: batches of 40 records spread over up to 9 directories (3 tenants x 3 hours); the 13th
        // rename "crashes" the process, after a complete batch (offset committed) and within the next one.
        CrashingLakeStore crashing = new CrashingLakeStore(new LocalLakeStore(lakeDir), 12);
        LakeSink first = sink(lakeConfig(Duration.ofHours(1), 40), crashing);
        Future<?> firstRun = sinkThreads.submit(first);
        await().atMost(DEADLINE).until(firstRun::isDone);
        assertThat(crashing.crashed()).isTrue();
        assertThat(failureOf(firstRun)).hasMessageContaining(CrashingLakeStore.CRASH);
        assertThat(lake.rows()).as("the crash left the lake part-written").isBetween(1L, envelopes.size() - 1L);
        assertThat(temporariesOnDisk()).as("the crash left temporaries behind").isNotEmpty();

        // Second run: recovers from the lake and finishes. Its smaller batches would cut different ranges
        // (and duplicate rows) if it did not replay the interrupted batch over exactly its original range.
        LakeSink second = sink(lakeConfig(Duration.ofMillis(300), 25), new LocalLakeStore(lakeDir));
        Future<?> secondRun = sinkThreads.submit(second);
        await().atMost(DEADLINE).until(() -> committedOffsetsTotal() == envelopes.size());
        second.close();
        secondRun.get(10, TimeUnit.SECONDS);

        assertThat(lake.rows()).isEqualTo(envelopes.size());
        assertThat(lake.distinctEventIds()).isEqualTo(envelopes.size());
        assertThat(directoriesHoldingEachEvent()).isEqualTo(expectedDirectories(envelopes));
        assertThat(temporariesOnDisk()).as("the new owner deleted the crashed run's temporaries").isEmpty();
        assertThat(committedFileNames()).allSatisfy(name -> assertThat(BatchFileName.parse(name)).isPresent());
        assertBatchRangesTileEachPartition();
    }

    /** Per partition, the batches' offset ranges cover 0..end-1 without gaps or overlaps. */
    private void assertBatchRangesTileEachPartition() throws Exception {
        Map<Integer, Long> endOffsets = endOffsets();
        Map<Integer, List<BatchFileName>> ranges = new TreeMap<>();
        for (String name : new HashSet<>(committedFileNames())) {
            BatchFileName batch = BatchFileName.parse(name).orElseThrow();
            ranges.computeIfAbsent(batch.partition(), p -> new ArrayList<>()).add(batch);
        }
        endOffsets.forEach((partition, end) -> {
            long next = 0;
            for (BatchFileName batch : ranges.getOrDefault(partition, List.of()).stream()
                    .sorted(Comparator.comparingLong(BatchFileName::firstOffset)).toList()) {
                assertThat(batch.firstOffset()).as("batch %s follows the previous one of partition %d", batch, partition).isEqualTo(next);
                next = batch.lastOffset() + 1;
            }
            assertThat(next).as("batches of partition %d reach its end offset", partition).isEqualTo(end);
        });
    }

    private LakeSink sink(PulseConfig.Lake config, LakeStore store) {
        LakeSink sink = LakeSink.create(config, kafka, TestEnvelopeSerde.deserializer(), store);
        sinks.add(sink);
        return sink;
    }

    private PulseConfig.Lake lakeConfig(Duration flushInterval, int maxRecordsPerFile) {
        return PulseConfig.Lake.local(lakeDir, flushInterval, maxRecordsPerFile, KEY);
    }

    /** Events of three tenants over three event-time hours that straddle midnight, so dates and hours vary. */
    private static List<Envelope> envelopes(int count) {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String tenant = TENANTS.get(i % TENANTS.size());
            Instant eventTime = FIRST_HOUR.plus(Duration.ofMinutes(37L * i % 180));
            envelopes.add(TestEvents.base("event-" + i, tenant, EventType.PAGE_VIEW, new PageView("https://shop.example/" + i, null, null))
                    .setCustomerId("customer-" + (i % 17))
                    .setEventTime(eventTime)
                    .build());
        }
        return envelopes;
    }

    private void produce(List<Envelope> envelopes) throws Exception {
        var serializer = TestEnvelopeSerde.serializer();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("lake-sink-it-producer"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Envelope e : envelopes) {
                producer.send(new ProducerRecord<>(TopicCatalogue.EVENTS.name(), e.getTenant() + "/" + e.getCustomerId(),
                        serializer.serialize(TopicCatalogue.EVENTS.name(), e)));
            }
            producer.flush();
        }
    }

    private void produceGarbage(List<byte[]> values) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("lake-sink-it-garbage"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(TopicCatalogue.EVENTS.name(), "garbage", value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int expected) {
        Map<String, Object> props = kafka.consumer("lake-sink-it-dead-letter-reader", "lake-sink-it-dead-letter-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TopicCatalogue.DEAD_LETTERS.name()));
            await().atMost(DEADLINE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= expected;
            });
        }
        assertThat(read).hasSize(expected);
        return read;
    }

    /** For each event id, the tenant/date/hour directory its row was read from (Hive partition columns). */
    private Map<String, String> directoriesHoldingEachEvent() {
        return lake.strings("SELECT event_id || ' ' || tenant || '/' || CAST(date AS VARCHAR) || '/' || lpad(CAST(hour AS VARCHAR), 2, '0')"
                        + " FROM " + lake.events()).stream()
                .collect(Collectors.toMap(s -> s.substring(0, s.indexOf(' ')), s -> s.substring(s.indexOf(' ') + 1)));
    }

    private static Map<String, String> expectedDirectories(List<Envelope> envelopes) {
        return envelopes.stream().collect(Collectors.toMap(Envelope::getEventId, e -> {
            ZonedDateTime utc = e.getEventTime().atZone(ZoneOffset.UTC);
            return e.getTenant() + "/" + utc.toLocalDate() + "/" + String.format("%02d", utc.getHour());
        }));
    }

    private List<String> committedFileNames() {
        return new LocalLakeStore(lakeDir).listCommitted("events").stream().map(LakeFile::name).toList();
    }

    private List<Path> temporariesOnDisk() throws IOException {
        if (!Files.isDirectory(lakeDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(lakeDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private long committedOffsetsTotal() throws Exception {
        try (Admin admin = Admin.create(kafka.admin("lake-sink-it-offsets"))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(LakeSink.GROUP_ID)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private Map<Integer, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(kafka.admin("lake-sink-it-end-offsets"))) {
            Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
            for (int p = 0; p < TopicCatalogue.EVENTS.partitions(); p++) {
                latest.put(new TopicPartition(TopicCatalogue.EVENTS.name(), p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    private static Throwable failureOf(Future<?> run) throws InterruptedException {
        try {
            run.get();
            throw new AssertionError("the sink was expected to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static NewTopic newTopic(Topic<?, ?> topic) {
        return new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.configs());
    }
}
