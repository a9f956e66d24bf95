package io.pulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.avro.Alert;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.PageView;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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

/** The sink against a real Kafka broker and schema registry client, read back the way analysts read the lake (DuckDB). */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LakeSinkIT {
    private static final String KEY = "integration-test-pseudonymisation-key";
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final Instant FIRST_HOUR = Instant.parse("2024-05-01T22:00:00Z");
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final List<Topic<?, ?>> DATASET_TOPICS = List.of(TopicCatalogue.EVENTS, TopicCatalogue.METRICS, TopicCatalogue.ALERTS);
    private static final Map<String, String> DATASET_OF = Map.of(TopicCatalogue.EVENTS.name(), "events",
            TopicCatalogue.METRICS.name(), "metrics", TopicCatalogue.ALERTS.name(), "alerts");
    /** What makes a row unique in each dataset (the test gives every metric its own store, every alert its own message). */
    private static final Map<String, String> ROW_ID = Map.of("events", "event_id", "metrics", "store_id", "alerts", "message");

    @TempDir
    Path dataDir;

    private EmbeddedKafkaBroker broker;
    private KafkaClientSettings kafka;
    private Admin admin;
    private Path lakeDir;
    private DuckDbLake lake;
    private final SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> new Thread(r, "lake-sink-it"));
    private final List<LakeSink> sinks = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        kafka = new KafkaClientSettings(new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        admin = Admin.create(kafka.admin("lake-sink-it-admin"));
        List<NewTopic> topics = Stream.concat(DATASET_TOPICS.stream(), Stream.of(TopicCatalogue.DEAD_LETTERS))
                .map(LakeSinkIT::newTopic).toList();
        admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        lakeDir = dataDir.resolve("lake");
        lake = new DuckDbLake(lakeDir);
    }

    @AfterEach
    void stopEverything() {
        sinks.forEach(LakeSink::close);
        threads.shutdownNow();
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void writesEveryDatasetOnceIntoTenantDateHourDirectories() throws Exception {
        Produced produced = new Produced(envelopes(0, 240), metrics(0, 80), alerts(0, 30));
        produce(produced);
        produceGarbage(TopicCatalogue.EVENTS, new byte[] {0, 0, 0, 0, 7, 1});
        produceGarbage(TopicCatalogue.EVENTS, "not avro at all".getBytes());
        produceGarbage(TopicCatalogue.METRICS, "not a metric".getBytes());

        LakeSink sink = sink(lakeConfig(Duration.ofMillis(300), 50), new LocalLakeStore(lakeDir));
        Future<?> running = threads.submit(sink);
        await().atMost(DEADLINE).until(() -> committedOffsetsTotal() == produced.records() + 3);
        sink.close();
        running.get(10, TimeUnit.SECONDS);

        assertEachRecordOnce(produced);
        assertThat(directoriesHoldingEachEvent()).isEqualTo(expectedDirectories(produced.envelopes()));
        assertThat(lake.records("SELECT store_id, tenant || '/' || CAST(date AS VARCHAR) || '/' || lpad(CAST(hour AS VARCHAR), 2, '0')"
                + " FROM " + lake.table("metrics"))).containsExactlyInAnyOrderElementsOf(produced.finalMetrics().stream()
                .map(m -> List.<Object>of(m.getStoreId(), m.getTenant() + "/" + hourDirectory(m.getWindowStart()))).toList());
        assertThat(lake.number("SELECT count(*) FROM " + lake.events() + " WHERE customer_key IS NULL OR length(customer_key) <> 64"))
                .isZero();

        List<ConsumerRecord<byte[], byte[]>> deadLetters = readDeadLetters(3);
        assertThat(deadLetters).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_STAGE))
                .containsOnly("lake-sink");
        assertThat(deadLetters).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ORIGIN_TOPIC))
                .containsExactlyInAnyOrder(TopicCatalogue.EVENTS.name(), TopicCatalogue.EVENTS.name(), TopicCatalogue.METRICS.name());
        assertThat(deadLetters).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder(new byte[] {0, 0, 0, 0, 7, 1}, "not avro at all".getBytes(), "not a metric".getBytes());
    }

    @Test
    void countsEachRecordOnceAfterACrashBetweenRenames() throws Exception {
        Produced produced = new Produced(envelopes(0, 400), metrics(0, 120), alerts(0, 60));
        produce(produced);

        // First run: batches of 40 records spread over up to 9 directories (3 tenants x 3 hours); the 13th
        // rename "crashes" the process, after a complete batch (offset committed) and within the next one.
        CrashingLakeStore crashing = CrashingLakeStore.beforeRename(new LocalLakeStore(lakeDir), 12);
        LakeSink first = sink(lakeConfig(Duration.ofHours(1), 40), crashing);
        Future<?> firstRun = threads.submit(first);
        await().atMost(DEADLINE).until(firstRun::isDone);
        assertThat(crashing.crashed()).isTrue();
        assertThat(failureOf(firstRun)).hasMessageContaining(CrashingLakeStore.CRASH);
        long written = lake.rows("events") + lake.rows("metrics") + lake.rows("alerts");
        assertThat(written).as("the crash left the lake part-written").isBetween(1L, produced.rows() - 1L);
        assertThat(temporariesOnDisk()).as("the crash left temporaries behind").isNotEmpty();

        // Second run: recovers from the lake and finishes. Its smaller batches would cut different ranges
        // (and duplicate rows) if it did not replay the interrupted batch over exactly its original range.
        LakeSink second = sink(lakeConfig(Duration.ofMillis(300), 25), new LocalLakeStore(lakeDir));
        Future<?> secondRun = threads.submit(second);
        await().atMost(DEADLINE).until(() -> committedOffsetsTotal() == produced.records());
        second.close();
        secondRun.get(10, TimeUnit.SECONDS);

        assertEachRecordOnce(produced);
        assertThat(directoriesHoldingEachEvent()).isEqualTo(expectedDirectories(produced.envelopes()));
        assertThat(temporariesOnDisk()).as("the new owner deleted the crashed run's temporaries").isEmpty();
        assertBatchRangesTileEachPartition();
    }

    @Test
    void countsEachRecordOnceThroughCrashesAtRandomPointsWhileRecordsArrive() throws Exception {
        long seed = Long.getLong("pulse.lake.crash-seed", 20240501L);
        System.out.println("LakeSinkIT random crash points: seed " + seed + " (rerun with -Dpulse.lake.crash-seed=" + seed + ")");
        Random random = new Random(seed);
        int rounds = 16;
        int perRound = 60;
        // Small batches, few open files and a short flush keep the store busy, so that crashes fall everywhere:
        // in recovery, while files are written, between and right after renames.
        PulseConfig.Lake config = new PulseConfig.Lake(lakeDir, Duration.ofMillis(150), 15, 128L << 20, Duration.ofHours(1), 3, KEY,
                Optional.empty());
        Produced produced = new Produced(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int crashes = 0;
        for (int round = 0; round < rounds; round++) {
            Produced chunk = new Produced(envelopes(round * perRound, perRound), metrics(round * perRound / 3, perRound / 3),
                    alerts(round * perRound / 6, perRound / 6));
            produced.add(chunk);
            int order = round % 3;
            Future<?> producing = threads.submit(() -> produce(chunk, order));
            // Early (recovery's listings, the first files), within the first batches, or later (other datasets' batches).
            int crashAt = switch (random.nextInt(3)) {
                case 0 -> 1 + random.nextInt(8);
                case 1 -> 1 + random.nextInt(60);
                default -> 60 + random.nextInt(400);
            };
            CrashingLakeStore store = CrashingLakeStore.atOperation(new LocalLakeStore(lakeDir), crashAt);
            LakeSink sink = sink(config, store);
            Future<?> run = threads.submit(sink);
            await().atMost(DEADLINE).until(() -> run.isDone() || (producing.isDone() && committedOffsetsTotal() == produced.records()));
            producing.get();
            if (store.crashed()) {
                crashes++;
                Throwable failure = failureOf(run);
                assertThat(failure).hasStackTraceContaining(CrashingLakeStore.CRASH);
                System.out.println("LakeSinkIT round " + round + ": crashed at operation " + crashAt + ": "
                        + rootCause(failure).getMessage());
            } else {
                sink.close();
                run.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(crashes).as("crashes among %d runs", rounds).isGreaterThanOrEqualTo(rounds / 2);

        LakeSink last = sink(config, new LocalLakeStore(lakeDir));
        Future<?> lastRun = threads.submit(last);
        await().atMost(DEADLINE).until(() -> committedOffsetsTotal() == produced.records());
        last.close();
        lastRun.get(10, TimeUnit.SECONDS);

        assertEachRecordOnce(produced);
        assertThat(temporariesOnDisk()).as("temporaries left by crashed runs").isEmpty();
        assertBatchRangesTileEachPartition();
    }

    /** Per dataset: exactly the produced rows, each once; metrics and alerts compared whole, decimals exact. */
    private void assertEachRecordOnce(Produced produced) {
        assertThat(lake.rows("events")).isEqualTo(produced.envelopes().size());
        assertThat(lake.distinctEventIds()).isEqualTo(produced.envelopes().size());
        assertThat(lake.records("SELECT " + TestResults.METRICS_COLUMNS + " FROM " + lake.table("metrics")))
                .as("the metrics dataset holds exactly the final results")
                .containsExactlyInAnyOrderElementsOf(produced.finalMetrics().stream().map(TestResults::metricsRow).toList());
        assertThat(lake.distinct("metrics", ROW_ID.get("metrics"))).isEqualTo(produced.finalMetrics().size());
        assertThat(lake.records("SELECT " + TestResults.ALERT_COLUMNS + " FROM " + lake.table("alerts")))
                .containsExactlyInAnyOrderElementsOf(produced.alerts().stream().map(TestResults::alertRow).toList());
        assertThat(lake.distinct("alerts", ROW_ID.get("alerts"))).isEqualTo(produced.alerts().size());
        for (String dataset : DATASET_OF.values()) {
            assertThat(committedFiles(dataset)).allSatisfy(f -> assertThat(BatchFileName.parse(f.name())).isPresent());
        }
    }

    /**
     * Per partition of each topic, the batches' offset ranges follow each other without overlap and reach the
     * partition's end; events and alerts leave no gap (every record is a row), metrics may (a batch of
     * provisional updates only writes no file).
     */
    private void assertBatchRangesTileEachPartition() throws Exception {
        for (Topic<?, ?> topic : DATASET_TOPICS) {
            boolean gapless = topic != TopicCatalogue.METRICS;
            Map<Integer, List<BatchFileName>> ranges = new TreeMap<>();
            for (LakeFile file : committedFiles(DATASET_OF.get(topic.name()))) {
                BatchFileName batch = BatchFileName.parse(file.name()).orElseThrow();
                ranges.computeIfAbsent(batch.partition(), p -> new ArrayList<>()).add(batch);
            }
            endOffsets(topic).forEach((partition, end) -> {
                long next = 0;
                for (BatchFileName batch : ranges.getOrDefault(partition, List.of()).stream().distinct()
                        .sorted(Comparator.comparingLong(BatchFileName::firstOffset)).toList()) {
                    if (gapless) {
                        assertThat(batch.firstOffset()).as("batch %s follows the previous one of partition %d", batch, partition)
                                .isEqualTo(next);
                    } else {
                        assertThat(batch.firstOffset()).as("batch %s starts after the previous one of partition %d", batch, partition)
                                .isGreaterThanOrEqualTo(next);
                    }
                    next = batch.lastOffset() + 1;
                }
                if (gapless) {
                    assertThat(next).as("batches of %s-%d reach its end offset", topic.name(), partition).isEqualTo(end);
                } else {
                    assertThat(next).as("batches of %s-%d stay within its offsets", topic.name(), partition).isLessThanOrEqualTo(end);
                }
            });
        }
    }

    private LakeSink sink(PulseConfig.Lake config, LakeStore store) {
        LakeSink sink = LakeSink.create(config, kafka, serdes, store);
        sinks.add(sink);
        return sink;
    }

    private PulseConfig.Lake lakeConfig(Duration flushInterval, int maxRecordsPerFile) {
        return PulseConfig.Lake.local(lakeDir, flushInterval, maxRecordsPerFile, KEY);
    }

    /** Events of three tenants over three event-time hours that straddle midnight, so dates and hours vary. */
    private static List<Envelope> envelopes(int from, int count) {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String tenant = TENANTS.get(i % TENANTS.size());
            envelopes.add(TestEvents.base("event-" + i, tenant, EventType.PAGE_VIEW, new PageView("https://shop.example/" + i, null, null))
                    .setCustomerId("customer-" + (i % 17))
                    .setEventTime(spread(i))
                    .build());
        }
        return envelopes;
    }

    /** Metrics of one store each (store-i), every other one final; windows over the same three hours as the events. */
    private static List<WindowedMetrics> metrics(int from, int count) {
        List<WindowedMetrics> metrics = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            metrics.add(TestResults.metrics(TENANTS.get(i % TENANTS.size()), "store-" + i, spread(i), i % 2 == 0));
        }
        return metrics;
    }

    private static List<Alert> alerts(int from, int count) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            alerts.add(TestResults.alert(TENANTS.get(i % TENANTS.size()), spread(i), "alert-" + i));
        }
        return alerts;
    }

    private static Instant spread(int i) {
        return FIRST_HOUR.plus(Duration.ofMinutes(37L * i % 180));
    }

    private void produce(Produced produced) throws Exception {
        produce(produced, 0);
    }

    /** Produces the events, metrics and alerts, starting with the {@code first}-th of these topics. */
    private Void produce(Produced produced, int first) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("lake-sink-it-producer"),
                new StringSerializer(), new ByteArraySerializer())) {
            List<Runnable> topics = List.of(
                    () -> produced.envelopes().forEach(e -> send(producer, TopicCatalogue.EVENTS, e.getTenant() + "/" + e.getCustomerId(),
                            serdes.forValue(TopicCatalogue.EVENTS).serializer().serialize(TopicCatalogue.EVENTS.name(), e))),
                    () -> produced.metrics().forEach(m -> send(producer, TopicCatalogue.METRICS, m.getTenant() + "/" + m.getStoreId(),
                            serdes.forValue(TopicCatalogue.METRICS).serializer().serialize(TopicCatalogue.METRICS.name(), m))),
                    () -> produced.alerts().forEach(a -> send(producer, TopicCatalogue.ALERTS, a.getTenant() + "/" + a.getMessage(),
                            serdes.forValue(TopicCatalogue.ALERTS).serializer().serialize(TopicCatalogue.ALERTS.name(), a))));
            for (int i = 0; i < topics.size(); i++) {
                topics.get((first + i) % topics.size()).run();
            }
            producer.flush();
        }
        return null;
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topic<?, ?> topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic.name(), key, value), (metadata, error) -> {
            if (error != null) {
                throw new IllegalStateException("could not produce to " + topic.name(), error);
            }
        });
    }

    private void produceGarbage(Topic<?, ?> topic, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("lake-sink-it-garbage"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), "garbage", value)).get(30, TimeUnit.SECONDS);
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
        return envelopes.stream().collect(Collectors.toMap(Envelope::getEventId, e -> e.getTenant() + "/" + hourDirectory(e.getEventTime())));
    }

    private static String hourDirectory(Instant time) {
        ZonedDateTime utc = time.atZone(ZoneOffset.UTC);
        return utc.toLocalDate() + "/" + String.format("%02d", utc.getHour());
    }

    private List<LakeFile> committedFiles(String dataset) {
        return new LocalLakeStore(lakeDir).listCommitted(dataset);
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
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(LakeSink.GROUP_ID)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private Map<Integer, Long> endOffsets(Topic<?, ?> topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < topic.partitions(); p++) {
            latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
    }

    private static Throwable failureOf(Future<?> run) throws InterruptedException {
        try {
            run.get();
            throw new AssertionError("the sink was expected to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static NewTopic newTopic(Topic<?, ?> topic) {
        return new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.configs());
    }

    /** What a test produced, per topic. */
    private record Produced(List<Envelope> envelopes, List<WindowedMetrics> metrics, List<Alert> alerts) {
        long records() {
            return envelopes.size() + metrics.size() + alerts.size();
        }

        long rows() {
            return envelopes.size() + finalMetrics().size() + alerts.size();
        }

        List<WindowedMetrics> finalMetrics() {
            return metrics.stream().filter(WindowedMetrics::getFinal$).toList();
        }

        void add(Produced more) {
            envelopes.addAll(more.envelopes());
            metrics.addAll(more.metrics());
            alerts.addAll(more.alerts());
        }
    }
}
