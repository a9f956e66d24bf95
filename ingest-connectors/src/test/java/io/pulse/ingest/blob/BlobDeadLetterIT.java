package io.pulse.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.util.BinaryData;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import io.pulse.ingest.delivery.KafkaDeadLetters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A bad line of a blob on Azurite reaches the real dead-letter topic with its blob, line number and reason in headers. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BlobDeadLetterIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;
    private KafkaClientSettings kafka;
    private AzuriteServer azurite;
    private KafkaDeadLetters deadLetters;
    private BlobDropSource source;

    @BeforeEach
    void startServers() throws Exception {
        azurite = AzuriteServer.start(dir.resolve("azurite"));
        broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).build().start();
        kafka = new KafkaClientSettings(new PulseConfig.Kafka(broker.bootstrapServers(), Optional.empty(), Optional.empty(), Optional.empty()));
        try (Admin admin = Admin.create(kafka.admin("blob-dead-letter-it-admin"))) {
            admin.createTopics(List.of(new NewTopic(TopicCatalogue.DEAD_LETTERS.name(), TopicCatalogue.DEAD_LETTERS.partitions(), (short) 1)
                    .configs(TopicCatalogue.DEAD_LETTERS.configs()))).all().get(30, TimeUnit.SECONDS);
        }
        deadLetters = new KafkaDeadLetters(kafka, "blob-dead-letter-it");
    }

    @AfterEach
    void stopServers() {
        if (source != null) {
            source.close();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (azurite != null) {
            azurite.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBadLineReachesTheDeadLetterTopicWithBlobNameLineNumberAndReason() {
        String bad = "contoso,PAGE_VIEW,yesterday,/home";
        azurite.container("drops").getBlobClient("2026-11-21/pos.csv").upload(BinaryData.fromString(
                "tenant,event_type,event_time,url\ncontoso,PAGE_VIEW,2026-11-21T10:00:00Z,/a\n" + bad + "\n"));
        RecordingDelivery delivery = new RecordingDelivery();
        source = BlobDropSource.create(BlobDropConfig.builder(new BlobDropConfig.ConnectionString(azurite.connectionString()), "drops",
                dir.resolve("ledger")).pollInterval(Duration.ofMillis(200)).build(), delivery, deadLetters, Clock.systemUTC());
        source.start();

        ConsumerRecord<byte[], byte[]> letter = readDeadLetters(1).get(0);

        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(bad);
        assertThat(header(letter, KafkaDeadLetters.ORIGIN_PREFIX + "blob.name")).isEqualTo("2026-11-21/pos.csv");
        assertThat(header(letter, KafkaDeadLetters.ORIGIN_PREFIX + "blob.line")).isEqualTo("3");
        assertThat(header(letter, KafkaDeadLetters.ORIGIN_PREFIX + "blob.container")).isEqualTo("drops");
        assertThat(header(letter, DeadLetterHeaders.SOURCE)).isEqualTo("blob/drops");
        assertThat(header(letter, DeadLetterHeaders.ERROR_STAGE)).isEqualTo(KafkaDeadLetters.STAGE);
        assertThat(header(letter, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(BadLineException.class.getName());
        assertThat(header(letter, DeadLetterHeaders.ERROR_MESSAGE)).contains("line 3 of blob '2026-11-21/pos.csv'")
                .contains("event_time").contains("yesterday");
        await().atMost(DEADLINE).until(() -> source.status().blobsIngested() == 1);
        assertThat(delivery.events()).hasSize(1);
    }

    private List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int expected) {
        Map<String, Object> props = kafka.consumer("blob-dead-letter-it-reader", "blob-dead-letter-it-reader");
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

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return DeadLetterHeaders.text(record.headers(), name);
    }
}
