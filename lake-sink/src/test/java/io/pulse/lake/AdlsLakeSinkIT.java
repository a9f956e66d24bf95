package io.pulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.PageView;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.LakeStores;
import io.pulse.lake.store.adls.AdlsGen2TestServer;
import io.pulse.lake.store.adls.AdlsGen2TestServer.Operation;
import io.pulse.lake.store.adls.AdlsTestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink end to end on a real Kafka broker, writing to ADLS Gen2 (the test server) while the service
 * fails requests in bursts, answers some only after the client gave up (having applied them), and lets a
 * competing writer take a file's final name: the lake still holds every event exactly once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdlsLakeSinkIT {
    private static final String KEY = "integration-test-pseudonymisation-key";
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final Instant FIRST_HOUR = Instant.parse("2024-05-01T22:00:00Z");
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** Past the client's request timeout: the request times out and is retried; the service has applied it. */
    private static final Duration HELD_BACK = AdlsTestConfigs.REQUEST_TIMEOUT.multipliedBy(2);

    @TempDir
    Path dataDir;

    private EmbeddedKafkaBroker broker;
    private KafkaClientSettings kafka;
    private AdlsGen2TestServer server;
    private final SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
    private final ExecutorService sinkThreads = Executors.newCachedThreadPool(r -> new Thread(r, "adls-lake-sink-under-test"));
    private final List<LakeSink> sinks = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
        kafka = new KafkaClientSettings(new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        try (Admin admin = Admin.create(kafka.admin("adls-lake-sink-it-admin"))) {
            // Every topic the sink may read or write, so that it never waits for one to appear.
            List<NewTopic> topics = Stream.of(TopicCatalogue.EVENTS, TopicCatalogue.METRICS, TopicCatalogue.ALERTS, TopicCatalogue.DEAD_LETTERS)
                    .map(AdlsLakeSinkIT::newTopic).toList();
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        server = AdlsGen2TestServer.start();
        server.listPageSize(20); // recovery listings span several pages
    }

    @AfterEach
    void stop() {
        sinks.forEach(LakeSink::close);
        sinkThreads.shutdownNow();
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void writesEachEventOnceThroughServerErrorsTimeoutsAndAConflictingRename() throws Exception {
        String fileSystem = AdlsTestConfigs.newFileSystem(server);
        List<Envelope> envelopes = envelopes(600);
        produce(envelopes);
        server.faults()
                .failBursts(Operation.APPEND, 7, 2, 503)
                .failBursts(Operation.FLUSH, 5, 1, 500)
                .failBursts(Operation.RENAME, 6, 2, 502)
                .failBursts(Operation.LIST, 3, 1, 429)
                .failBursts(Operation.CREATE_FILE, 8, 1, 408)
                .failBursts(null, 29, 3, 503) // bursts across every operation
                .delayEvery(Operation.FLUSH, 61, HELD_BACK) // each costs a request timeout: a few of each
                .delayEvery(Operation.RENAME, 53, HELD_BACK)
                .delayEvery(Operation.APPEND, 67, HELD_BACK)
                .competeOnNextRenameWithSameContent()
                .competeOnNextRenameWithSameContent();
        // Enough retries to outlast the worst run of faults above on one request (2 + 3 failures and a timeout).
        LakeStore store = LakeStores.open(AdlsTestConfigs.lakeConfig(server.endpoint(), fileSystem, server.accountKey(), 10));

        LakeSink sink = LakeSink.create(PulseConfig.Lake.local(dataDir.resolve("unused-local-lake"), Duration.ofMillis(500), 40, KEY),
                kafka, serdes, store);
        sinks.add(sink);
        Future<?> running = sinkThreads.submit(sink);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(() -> running.isDone() || committedOffsetsTotal() == envelopes.size());
        sink.close();
        running.get(30, TimeUnit.SECONDS);

        DuckDbLake lake = new DuckDbLake(server.copyTo(fileSystem, AdlsTestConfigs.DIRECTORY, dataDir.resolve("lake-copy")));
        assertThat(lake.rows()).isEqualTo(envelopes.size());
        assertThat(lake.distinctEventIds()).isEqualTo(envelopes.size());
        assertThat(store.listCommitted("events")).isNotEmpty().allSatisfy(f -> assertThat(f.name()).endsWith(".parquet"));
        assertThat(server.files(fileSystem).keySet()).as("no temporary left behind")
                .noneMatch(path -> path.substring(path.lastIndexOf('/') + 1).startsWith("."));
        assertThat(server.faults().failuresInjected()).as("server errors injected").isGreaterThan(20);
        assertThat(server.faults().delaysInjected()).as("timeouts injected").isGreaterThanOrEqualTo(5);
        assertThat(server.faults().competitorsInjected()).as("conflicting renames").isEqualTo(2);
        assertThat(server.unhandledRequests()).isEmpty();
    }

    /** Events of three tenants over three event-time hours that straddle midnight. */
    private static List<Envelope> envelopes(int count) {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            envelopes.add(TestEvents.base("event-" + i, TENANTS.get(i % TENANTS.size()), EventType.PAGE_VIEW,
                            new PageView("https://shop.example/" + i, null, null))
                    .setCustomerId("customer-" + (i % 17))
                    .setEventTime(FIRST_HOUR.plus(Duration.ofMinutes(37L * i % 180)))
                    .build());
        }
        return envelopes;
    }

    private void produce(List<Envelope> envelopes) {
        try (KafkaProducer<String, Envelope> producer = new KafkaProducer<>(kafka.producer("adls-lake-sink-it-producer"),
                serdes.forKey(TopicCatalogue.EVENTS).serializer(), serdes.forValue(TopicCatalogue.EVENTS).serializer())) {
            for (Envelope e : envelopes) {
                producer.send(new ProducerRecord<>(TopicCatalogue.EVENTS.name(), e.getTenant() + "/" + e.getCustomerId(), e));
            }
            producer.flush();
        }
    }

    private long committedOffsetsTotal() throws Exception {
        try (Admin admin = Admin.create(kafka.admin("adls-lake-sink-it-offsets"))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(LakeSink.GROUP_ID)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private static NewTopic newTopic(Topic<?, ?> topic) {
        return new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.configs());
    }
}
