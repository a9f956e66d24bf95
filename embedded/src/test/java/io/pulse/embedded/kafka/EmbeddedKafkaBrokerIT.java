package io.pulse.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.KafkaConnectivityCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path sharedDir;
    private static EmbeddedKafkaBroker shared;

    @BeforeAll
    static void startSharedBroker() {
        shared = EmbeddedKafkaBroker.builder(sharedDir).build().start();
    }

    @AfterAll
    static void stopSharedBroker() {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void consumerReadsWhatProducerWrote() throws Exception {
        String topic = createTopic(shared, "plain");
        try (KafkaProducer<String, String> producer = producer(shared, Map.of())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
            }
        }

        assertThat(readValues(shared, topic, "read_uncommitted", 3)).containsExactly("v0", "v1", "v2");
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionButNotAbortedOne() throws Exception {
        String topic = createTopic(shared, "tx");
        try (KafkaProducer<String, String> producer = producer(shared,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
        }

        assertThat(readValues(shared, topic, "read_committed", 2)).containsExactly("committed-1", "committed-2");
    }

    @Test
    void runsTransactionsV1BecauseV2CanStallAProducerForGood() throws Exception {
        try (Admin admin = admin(shared)) {
            FinalizedVersionRange level = admin.describeFeatures().featureMetadata().get(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .finalizedFeatures().get(KraftStorage.TRANSACTION_VERSION_FEATURE);
            assertThat(level).as("finalized transaction.version").isNotNull();
            assertThat(level.maxVersionLevel()).isEqualTo(KraftStorage.TRANSACTION_VERSION);
        }
    }

    @Test
    void localProfileClientSettingsPassTheConnectivityCheck() {
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(),
                Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, shared.bootstrapServers()));

        assertThatCode(() -> KafkaConnectivityCheck.verify(new KafkaClientSettings(config.kafka()), WAIT))
                .doesNotThrowAnyException();
    }

    @Test
    void topicsAreNotCreatedAutomatically() {
        try (KafkaProducer<String, String> producer = producer(shared, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000))) {
            assertThatThrownBy(() -> producer.partitionsFor("never-created-" + UUID.randomUUID()))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("not present in metadata");
        }
    }

    @Test
    void restartOnSameDataDirKeepsRecordsClusterIdAndPorts(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dir).build().start()) {
            String clusterId = broker.clusterId();
            String bootstrap = broker.bootstrapServers();
            String topic = createTopic(broker, "durable");
            try (KafkaProducer<String, String> producer = producer(broker, Map.of())) {
                producer.send(new ProducerRecord<>(topic, "k", "before-restart")).get();
            }

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            try (Admin admin = admin(broker)) {
                assertThat(admin.describeCluster().clusterId().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(clusterId);
            }
            assertThat(readValues(broker, topic, "read_committed", 1)).containsExactly("before-restart");
        }
    }

    @Test
    void refusesToStartOnATakenPortNamingThePortAndItsKey(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafkaBroker.builder(dir).brokerPort(port).build().start())
                    .isInstanceOf(EmbeddedBrokerException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining(ConfigKeys.BROKER_PORT);
            assertThatThrownBy(() -> EmbeddedKafkaBroker.builder(dir).controllerPort(port).build().start())
                    .isInstanceOf(EmbeddedBrokerException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining(ConfigKeys.CONTROLLER_PORT);
        }
    }

    private static String createTopic(EmbeddedKafkaBroker broker, String prefix) throws Exception {
        String topic = prefix + "-" + UUID.randomUUID();
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return topic;
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaBroker broker, Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads the topic from the start until {@code expected} values arrived, within {@link #WAIT}. */
    private static List<String> readValues(EmbeddedKafkaBroker broker, String topic, String isolation, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= expected;
            });
            // One more poll: a record that should not be there (an aborted one, a duplicate) would show up now.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
