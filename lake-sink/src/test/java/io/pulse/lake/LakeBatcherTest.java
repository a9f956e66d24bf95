package io.pulse.lake;

import static io.pulse.lake.BatcherHarness.byRecords;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.registry.RestSchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches, commit order, dead letters, replays, and which dataset each topic's records land in. */
class LakeBatcherTest {
    private static final String EVENTS = TopicCatalogue.EVENTS.name();
    private static final TopicPartition P1 = new TopicPartition(EVENTS, 1);
    private static final LakeDirectory CONTOSO_13 = new LakeDirectory("events", List.of("tenant=contoso", "date=2024-05-01", "hour=13"));
    private static final LakeDirectory FABRIKAM_13 = new LakeDirectory("events", List.of("tenant=fabrikam", "date=2024-05-01", "hour=13"));

    @TempDir
    Path lakeDir;

    private BatcherHarness h;

    @BeforeEach
    void setUp() {
        h = new BatcherHarness(lakeDir);
    }

    @Test
    void commitsFilesThenOffsetWhenTheBatchIsFull() {
        LakeBatcher batcher = h.batcher(byRecords(3));

        batcher.accept(h.topics.event(1, 10, TestEvents.pageView("a", "contoso")));
        batcher.accept(h.topics.event(1, 11, TestEvents.pageView("b", "fabrikam")));
        assertThat(h.offsetCommits).isEmpty();
        batcher.accept(h.topics.event(1, 12, TestEvents.purchase("c", "contoso")));

        assertThat(h.offsetCommits).containsExactly("offset events 1->13 after 3 rows");
        assertThat(h.store.listCommitted("events")).containsExactlyInAnyOrder(
                new LakeFile(CONTOSO_13, "pulse.events.v1+1+10+12.parquet"),
                new LakeFile(FABRIKAM_13, "pulse.events.v1+1+10+12.parquet"));
    }

    @Test
    void flushesAQuietPartitionOnceTheIntervalHasPassed() {
        LakeBatcher batcher = h.batcher(byRecords(1000));
        batcher.accept(h.topics.event(1, 0, TestEvents.pageView("a", "contoso")));

        h.clock.advance(BatcherHarness.FLUSH.minusMillis(1));
        batcher.commitDue();
        assertThat(h.offsetCommits).isEmpty();

        h.clock.advance(Duration.ofMillis(1));
        batcher.commitDue();
        assertThat(h.offsetCommits).containsExactly("offset events 1->1 after 1 rows");
    }

    @Test
    void eachTopicsRecordsLandInTheirDatasetByEventTimeOrWindowStart() {
        LakeBatcher batcher = h.batcher(byRecords(1000));
        Instant window = Instant.parse("2024-05-02T23:59:00Z");
        batcher.accept(h.topics.event(0, 0, TestEvents.pageView("a", "contoso")));
        batcher.accept(h.topics.metrics(2, 7, TestResults.metrics("fabrikam", "store-1", window, true)));
        batcher.accept(h.topics.alert(3, 9, TestResults.alert("northwind", window, "spike")));

        batcher.commitAll();

        assertThat(h.committedNames("events")).containsExactly("events/tenant=contoso/date=2024-05-01/hour=13/pulse.events.v1+0+0+0.parquet");
        assertThat(h.committedNames("metrics")).containsExactly("metrics/tenant=fabrikam/date=2024-05-02/hour=23/pulse.metrics.v1+2+7+7.parquet");
        assertThat(h.committedNames("alerts")).containsExactly("alerts/tenant=northwind/date=2024-05-02/hour=23/pulse.alerts.v1+3+9+9.parquet");
        assertThat(h.offsetCommits).containsExactlyInAnyOrder("offset events 0->1 after 1 rows", "offset metrics 2->8 after 1 rows",
                "offset alerts 3->10 after 1 rows");
    }

    @Test
    void provisionalMetricsAreSkippedButCountInTheBatchRange() {
        LakeBatcher batcher = h.batcher(byRecords(3));
        Instant window = Instant.parse("2024-05-01T10:00:00Z");
        batcher.accept(h.topics.metrics(0, 20, TestResults.metrics("contoso", "store-1", window, false)));
        batcher.accept(h.topics.metrics(0, 21, TestResults.metrics("contoso", "store-1", window, true)));
        batcher.accept(h.topics.metrics(0, 22, TestResults.metrics("contoso", "store-2", window, false)));
        // A batch of provisional updates only writes no file, and still moves the offset.
        batcher.accept(h.topics.metrics(0, 23, TestResults.metrics("contoso", "store-3", window, false)));
        batcher.commitAll();

        assertThat(h.committedNames("metrics")).containsExactly("metrics/tenant=contoso/date=2024-05-01/hour=10/pulse.metrics.v1+0+20+22.parquet");
        assertThat(h.offsetCommits).containsExactly("offset metrics 0->23 after 1 rows", "offset metrics 0->24 after 1 rows");
        assertThat(h.lake.strings("SELECT store_id FROM " + h.lake.table("metrics"))).containsExactly("store-1");
    }

    @Test
    void undecodableRecordGoesToDeadLettersAndStillCountsInTheBatchRange() {
        LakeBatcher batcher = h.batcher(byRecords(1000));
        batcher.accept(h.topics.event(1, 5, TestEvents.pageView("a", "contoso")));
        batcher.accept(TestTopics.raw(TopicCatalogue.EVENTS, 1, 6, new byte[] {0, 0, 0, 0, 1, 42}));

        batcher.commitAll();

        assertThat(h.producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> deadLetter = h.producer.history().get(0);
        assertThat(deadLetter.topic()).isEqualTo(TopicCatalogue.DEAD_LETTERS.name());
        assertThat(deadLetter.value()).containsExactly(0, 0, 0, 0, 1, 42);
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("6");
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ORIGIN_PARTITION)).isEqualTo("1");
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ERROR_STAGE)).isEqualTo("lake-sink");
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ERROR_CLASS)).isNotBlank();
        assertThat(h.offsetCommits).containsExactly("offset events 1->7 after 1 rows");
        assertThat(h.store.listCommitted("events")).extracting(LakeFile::name).containsExactly("pulse.events.v1+1+5+6.parquet");
    }

    @Test
    void metricsOfAnInvalidTenantGoToDeadLetters() {
        LakeBatcher batcher = h.batcher(byRecords(1000));
        batcher.accept(h.topics.metrics(0, 0, TestResults.metrics("Not A Tenant", "store-1", Instant.parse("2024-05-01T10:00:00Z"), true)));
        batcher.commitAll();

        assertThat(h.producer.history()).hasSize(1);
        assertThat(DeadLetterHeaders.text(h.producer.history().get(0).headers(), DeadLetterHeaders.ORIGIN_TOPIC))
                .isEqualTo(TopicCatalogue.METRICS.name());
        assertThat(h.store.listCommitted("metrics")).isEmpty();
        assertThat(h.offsetCommits).containsExactly("offset metrics 0->1 after 0 rows");
    }

    @Test
    void registryOutageNeitherDeadLettersNorConsumesTheRecord() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SerdeFactory registryDown = new SerdeFactory(RestSchemaRegistryClient.builder(URI.create("http://127.0.0.1:" + closedPort))
                .timeout(Duration.ofSeconds(2)).build());
        LakeBatcher batcher = h.batcher(byRecords(1), registryDown);

        assertThat(batcher.accept(h.topics.event(1, 0, TestEvents.pageView("a", "contoso")))).isFalse();
        assertThat(batcher.accept(h.topics.metrics(1, 0, TestResults.metrics("contoso", "s", Instant.EPOCH, true)))).isFalse();

        batcher.commitAll();
        assertThat(h.producer.history()).isEmpty();
        assertThat(h.offsetCommits).as("no offset moves past a record that was not read").isEmpty();
    }

    @Test
    void replayCommitsOnlyTheMissingFilesUnderTheInterruptedRange() throws Exception {
        // A first run committed contoso's file of batch 5..7, then crashed before fabrikam's and the offset.
        LakeBatcher first = h.batcher(byRecords(3));
        first.accept(h.topics.event(1, 5, TestEvents.pageView("a", "contoso")));
        first.accept(h.topics.event(1, 6, TestEvents.pageView("b", "fabrikam")));
        first.accept(h.topics.event(1, 7, TestEvents.pageView("c", "fabrikam")));
        Path fabrikamFile = lakeDir.resolve(FABRIKAM_13.relativePath()).resolve("pulse.events.v1+1+5+7.parquet");
        Files.delete(fabrikamFile);
        Path contosoFile = lakeDir.resolve(CONTOSO_13.relativePath()).resolve("pulse.events.v1+1+5+7.parquet");
        long contosoModified = Files.getLastModifiedTime(contosoFile).toMillis();
        h.offsetCommits.clear();

        // Tighter limits on every count must not split the replay.
        LakeBatcher second = h.batcher(new RotationPolicy(2, 1024, Duration.ofMillis(1), 1, BatcherHarness.FLUSH));
        second.startReplay(P1, new BatchFileName(EVENTS, 1, 5, 7), Set.of(CONTOSO_13));
        second.accept(h.topics.event(1, 5, 0, TestEvents.pageView("a", "contoso")));
        second.accept(h.topics.event(1, 6, 10, TestEvents.pageView("b", "fabrikam")));
        assertThat(h.offsetCommits).isEmpty();
        second.accept(h.topics.event(1, 7, 20, TestEvents.pageView("c", "fabrikam")));

        assertThat(h.offsetCommits).containsExactly("offset events 1->8 after 3 rows");
        assertThat(fabrikamFile).exists();
        assertThat(Files.getLastModifiedTime(contosoFile).toMillis()).isEqualTo(contosoModified);
        assertThat(h.lake.distinctEventIds()).isEqualTo(3);
        assertThat(h.noTemporaries()).isTrue();
    }

    @Test
    void revocationDropsAReplayThatHasNotReachedItsEnd() {
        LakeBatcher batcher = h.batcher(byRecords(1000));
        batcher.startReplay(P1, new BatchFileName(EVENTS, 1, 5, 7), Set.of());
        batcher.accept(h.topics.event(1, 5, TestEvents.pageView("a", "contoso")));

        batcher.commit(List.of(P1));

        assertThat(h.offsetCommits).isEmpty();
        assertThat(h.store.listCommitted("events")).isEmpty();
        assertThat(h.noTemporaries()).isTrue();
    }
}
