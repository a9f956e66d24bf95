package io.pulse.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uncaught-exception policy on a real broker: an error no handler takes kills the stream thread; the
 * instance replaces it {@value InsightsStreams#MAX_THREAD_REPLACEMENTS} times, then shuts down cleanly.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class InsightsStreamsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        // A dead thread's consumer stays in the group until its session times out: keep that short.
        broker = EmbeddedKafkaBroker.builder(dataDir).brokerProperty("group.min.session.timeout.ms", "500").build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Not an Exception: Kafka Streams' processing-exception handler does not see it, the thread dies. */
    static final class PoisonError extends Error {
        PoisonError(String message) {
            super(message);
        }
    }

    @Test
    void replacesTheFailedThreadThreeTimesThenShutsDownCleanly() throws Exception {
        String topic = "poison-" + UUID.randomUUID();
        createTopic(topic);
        Queue<Thread> threadsThatFailed = new ConcurrentLinkedQueue<>();
        Topology topology = poisonedBy(topic, threadsThatFailed);
        produce(topic, "contoso", "a record every thread chokes on");

        try (InsightsStreams streams = new InsightsStreams(topology, streamsProperties())) {
            streams.start();

            // The stream threads' deaths are expected here, not failures of the test.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).dontCatchUncaughtExceptions()
                    .until(() -> streams.state() == KafkaStreams.State.ERROR);

            // The original thread and its three replacements (new threads, though Kafka reuses their names) each met
            // the record once; nothing is left running.
            List<Thread> threads = List.copyOf(threadsThatFailed);
            assertThat(threads).hasSize(InsightsStreams.MAX_THREAD_REPLACEMENTS + 1).doesNotHaveDuplicates()
                    .noneMatch(Thread::isAlive);
            assertThat(streams.threadReplacements()).isEqualTo(InsightsStreams.MAX_THREAD_REPLACEMENTS);
            assertThat(streams.kafkaStreams().metadataForLocalThreads()).isEmpty();
            assertThat(streams.kafkaStreams().close(Duration.ofSeconds(30))).isTrue();
        }
    }

    private static Topology poisonedBy(String topic, Queue<Thread> threadsThatFailed) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()).withName("poison-source"))
                .process(() -> new Processor<String, String, Void, Void>() {
                    @Override
                    public void process(Record<String, String> record) {
                        threadsThatFailed.add(Thread.currentThread());
                        throw new PoisonError("cannot process " + record.key());
                    }
                }, Named.as("poison-processor"));
        return builder.build();
    }

    private static Properties streamsProperties() {
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), Map.of(
                ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                ConfigKeys.STREAMS_APPLICATION_ID, "thread-policy-" + UUID.randomUUID(),
                ConfigKeys.DATA_DIR, dataDir.resolve("pulse").toString()));
        Properties props = StreamsProperties.of(config, new KafkaClientSettings(config.kafka()), null);
        // The replacement thread joins while its dead predecessor is still a member: 2 s, not 45 s, until it is dropped.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 2000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
        return props;
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }
}
