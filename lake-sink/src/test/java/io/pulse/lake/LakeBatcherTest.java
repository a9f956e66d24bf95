package io.pulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.Envelope;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.registry.SchemaRegistryException;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.mapping.LakeEventMapper;
import io.pulse.lake.mapping.Pseudonymiser;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeFile;
import io.pulse.lake.store.LocalLakeStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeBatcherTest {
    private static final String TOPIC = TopicCatalogue.EVENTS.name();
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration FLUSH = Duration.ofSeconds(10);
    private static final LakeDirectory CONTOSO_13 = new LakeDirectory("events", List.of("tenant=contoso", "date=2024-05-01", "hour=13"));
    private static final LakeDirectory FABRIKAM_13 = new LakeDirectory("events", List.of("tenant=fabrikam", "date=2024-05-01", "hour=13"));

    @TempDir
    Path lakeDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-06-01T00:00:00Z"));
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final List<String> events = new ArrayList<>();
    private LocalLakeStore store;
    private DuckDbLake lake;

    @BeforeEach
    void setUp() {
        store = new LocalLakeStore(lakeDir);
        lake = new DuckDbLake(lakeDir);
    }

    private LakeBatcher batcher(int maxRecords) {
        return batcher(maxRecords, TestEnvelopeSerde.deserializer());
    }

    private LakeBatcher batcher(int maxRecords, Deserializer<Envelope> deserializer) {
        LakeRowDecoder decoder = new LakeRowDecoder(deserializer, new LakeEventMapper(new Pseudonymiser("a-test-key-of-some-length")));
        LakeBatcher.OffsetCommitter committer = (tp, next) -> {
            // The lake must already hold the batch when its offset is committed.
            events.add("offset " + tp.partition() + "->" + next + " after " + lake.rows() + " rows");
        };
        return new LakeBatcher(store, decoder, new DeadLetterPublisher(producer, clock), committer, clock, FLUSH, maxRecords);
    }

    @Test
    void commitsFilesThenOffsetWhenTheBatchIsFull() {
        LakeBatcher batcher = batcher(3);

        batcher.accept(record(1, 10, TestEvents.pageView("a", "contoso")));
        batcher.accept(record(1, 11, TestEvents.pageView("b", "fabrikam")));
        assertThat(events).isEmpty();
        batcher.accept(record(1, 12, TestEvents.purchase("c", "contoso")));

        assertThat(events).containsExactly("offset 1->13 after 3 rows");
        assertThat(store.listCommitted("events")).containsExactlyInAnyOrder(
                new LakeFile(CONTOSO_13, "pulse.events.v1+1+10+12.parquet"),
                new LakeFile(FABRIKAM_13, "pulse.events.v1+1+10+12.parquet"));
    }

    @Test
    void flushesAQuietPartitionOnceTheIntervalHasPassed() {
        LakeBatcher batcher = batcher(1000);
        batcher.accept(record(1, 0, TestEvents.pageView("a", "contoso")));

        clock.advance(FLUSH.minusMillis(1));
        batcher.commitDue();
        assertThat(events).isEmpty();

        clock.advance(Duration.ofMillis(1));
        batcher.commitDue();
        assertThat(events).containsExactly("offset 1->1 after 1 rows");
    }

    @Test
    void undecodableRecordGoesToDeadLettersAndStillCountsInTheBatchRange() {
        LakeBatcher batcher = batcher(1000);
        batcher.accept(record(1, 5, TestEvents.pageView("a", "contoso")));
        batcher.accept(new ConsumerRecord<>(TOPIC, 1, 6, "k".getBytes(), new byte[] {0, 0, 0, 0, 1, 42}));

        batcher.commitAll();

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> deadLetter = producer.history().get(0);
        assertThat(deadLetter.topic()).isEqualTo(TopicCatalogue.DEAD_LETTERS.name());
        assertThat(deadLetter.value()).containsExactly(0, 0, 0, 0, 1, 42);
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("6");
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ORIGIN_PARTITION)).isEqualTo("1");
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ERROR_STAGE)).isEqualTo("lake-sink");
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ERROR_CLASS)).isNotBlank();
        assertThat(events).containsExactly("offset 1->7 after 1 rows");
        assertThat(store.listCommitted("events")).extracting(LakeFile::name).containsExactly("pulse.events.v1+1+5+6.parquet");
    }

    @Test
    void registryOutageNeitherDeadLettersNorConsumesTheRecord() {
        Deserializer<Envelope> registryDown = (topic, data) -> {
            throw new SerializationException("Could not get writer schema id 1",
                    new SchemaRegistryException("connection refused", SchemaRegistryException.NO_RESPONSE));
        };
        LakeBatcher batcher = batcher(1, registryDown);

        assertThat(batcher.accept(record(1, 0, TestEvents.pageView("a", "contoso")))).isFalse();

        batcher.commitAll();
        assertThat(producer.history()).isEmpty();
        assertThat(events).as("no offset moves past a record that was not read").isEmpty();
    }

    @Test
    void replayCommitsOnlyTheMissingFilesUnderTheInterruptedRange() throws Exception {
        // A first run committed contoso's file of batch 5..7, then crashed before fabrikam's and the offset.
        LakeBatcher first = batcher(3);
        first.accept(record(1, 5, TestEvents.pageView("a", "contoso")));
        first.accept(record(1, 6, TestEvents.pageView("b", "fabrikam")));
        first.accept(record(1, 7, TestEvents.pageView("c", "fabrikam")));
        Path fabrikamFile = lakeDir.resolve(FABRIKAM_13.relativePath()).resolve("pulse.events.v1+1+5+7.parquet");
        Files.delete(fabrikamFile);
        Path contosoFile = lakeDir.resolve(CONTOSO_13.relativePath()).resolve("pulse.events.v1+1+5+7.parquet");
        long contosoModified = Files.getLastModifiedTime(contosoFile).toMillis();
        events.clear();

        LakeBatcher second = batcher(2); // a smaller limit must not split the replay
        second.startReplay(P1, new BatchFileName(TOPIC, 1, 5, 7), Set.of(CONTOSO_13));
        second.accept(record(1, 5, TestEvents.pageView("a", "contoso")));
        second.accept(record(1, 6, TestEvents.pageView("b", "fabrikam")));
        assertThat(events).isEmpty();
        second.accept(record(1, 7, TestEvents.pageView("c", "fabrikam")));

        assertThat(events).containsExactly("offset 1->8 after 3 rows");
        assertThat(fabrikamFile).exists();
        assertThat(Files.getLastModifiedTime(contosoFile).toMillis()).isEqualTo(contosoModified);
        assertThat(lake.distinctEventIds()).isEqualTo(3);
        assertThat(noTemporaries()).isTrue();
    }

    @Test
    void revocationDropsAReplayThatHasNotReachedItsEnd() {
        LakeBatcher batcher = batcher(1000);
        batcher.startReplay(P1, new BatchFileName(TOPIC, 1, 5, 7), Set.of());
        batcher.accept(record(1, 5, TestEvents.pageView("a", "contoso")));

        batcher.commit(List.of(P1));

        assertThat(events).isEmpty();
        assertThat(store.listCommitted("events")).isEmpty();
        assertThat(noTemporaries()).isTrue();
    }

    private ConsumerRecord<byte[], byte[]> record(int partition, long offset, Envelope envelope) {
        return new ConsumerRecord<>(TOPIC, partition, offset, envelope.getTenant().getBytes(),
                TestEnvelopeSerde.serializer().serialize(TOPIC, envelope));
    }

    private boolean noTemporaries() {
        try (Stream<Path> files = Files.walk(lakeDir)) {
            return files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
