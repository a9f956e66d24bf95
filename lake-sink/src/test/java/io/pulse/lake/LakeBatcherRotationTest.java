package io.pulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.PageView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When batches are committed: file size, record-time span, open-file bound (late records), wall clock. */
class LakeBatcherRotationTest {
    private static final Instant ON_TIME = Instant.parse("2024-05-01T13:10:00Z");
    private static final Instant LATE = Instant.parse("2024-05-01T09:50:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path lakeDir;

    private BatcherHarness h;

    @BeforeEach
    void setUp() {
        h = new BatcherHarness(lakeDir);
    }

    @Test
    void commitsWhenAFileReachesTheMaximumBytes() {
        long maxFileBytes = 4 * 1024;
        LakeBatcher batcher = h.batcher(new RotationPolicy(100_000, maxFileBytes, DAY, 24, BatcherHarness.FLUSH));
        int records = 400;
        for (int i = 0; i < records; i++) {
            batcher.accept(h.topics.event(0, i, event("e-" + i, "contoso", ON_TIME, "https://shop.example/" + i)));
        }
        batcher.commitAll();

        List<String> files = h.committedNames("events");
        assertThat(files).as("the size limit, not the record limit, cut the batches").hasSizeGreaterThan(2);
        assertThat(h.lake.rows()).isEqualTo(records);
        assertThat(h.lake.distinctEventIds()).isEqualTo(records);
        // Each full file stopped at the first row that took it to the limit: a few KB, not the whole partition.
        assertThat(h.lake.number("SELECT max(total_compressed_size) FROM (SELECT file_name, sum(total_compressed_size)"
                + " AS total_compressed_size FROM parquet_metadata('" + lakeDir + "/events/**/*.parquet') GROUP BY file_name)"))
                .isLessThan(4 * maxFileBytes);
    }

    @Test
    void aRecordThatWouldStretchTheBatchToTheRotateIntervalStartsTheNextBatch() {
        LakeBatcher batcher = h.batcher(new RotationPolicy(1000, 128L << 20, Duration.ofMinutes(10), 24, BatcherHarness.FLUSH));
        long t0 = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
        batcher.accept(h.topics.event(0, 0, t0, TestEvents.pageView("a", "contoso")));
        batcher.accept(h.topics.event(0, 1, t0 + Duration.ofMinutes(9).toMillis(), TestEvents.pageView("b", "contoso")));
        assertThat(h.offsetCommits).isEmpty();

        batcher.accept(h.topics.event(0, 2, t0 + Duration.ofMinutes(10).toMillis(), TestEvents.pageView("c", "contoso")));
        assertThat(h.offsetCommits).containsExactly("offset events 0->2 after 2 rows");

        batcher.accept(h.topics.event(0, 3, t0 + Duration.ofMinutes(19).toMillis(), TestEvents.pageView("d", "contoso")));
        batcher.commitAll();
        assertThat(h.store.listCommitted("events")).extracting(f -> f.name())
                .containsExactlyInAnyOrder("pulse.events.v1+0+0+1.parquet", "pulse.events.v1+0+2+3.parquet");
    }

    @Test
    void aQuietPartitionIsFlushedByTheWallClockWhateverItsRecordTime() {
        LakeBatcher batcher = h.batcher(new RotationPolicy(1000, 128L << 20, DAY, 24, Duration.ofSeconds(5)));
        batcher.accept(h.topics.event(0, 0, 0, TestEvents.pageView("a", "contoso")));
        batcher.accept(h.topics.event(3, 0, 0, TestEvents.pageView("b", "contoso")));
        h.clock.advance(Duration.ofSeconds(3));
        batcher.accept(h.topics.event(3, 1, 0, TestEvents.pageView("c", "contoso")));

        h.clock.advance(Duration.ofSeconds(2));
        batcher.commitDue();

        assertThat(h.offsetCommits).as("both batches opened 5 s ago, however recent their last record").hasSize(2);
        assertThat(h.store.listCommitted("events")).extracting(f -> f.name())
                .containsExactlyInAnyOrder("pulse.events.v1+0+0+0.parquet", "pulse.events.v1+3+0+1.parquet");
    }

    @Test
    void lateRecordsInterleavedWithOnTimeOnesGiveOneFilePerTouchedDirectoryPerBatch() {
        int batchSize = 10;
        LakeBatcher batcher = h.batcher(new RotationPolicy(batchSize, 128L << 20, DAY, 4, BatcherHarness.FLUSH));
        int records = 40;
        for (int i = 0; i < records; i++) {
            Instant eventTime = i % 2 == 0 ? ON_TIME : LATE.minus(Duration.ofHours(i % 3)); // on time, late by 3 to 5 hours
            batcher.accept(h.topics.event(0, i, event("e-" + i, "contoso", eventTime, "https://shop.example/")));
        }
        batcher.commitAll();

        Map<String, List<String>> directoriesByBatch = directoriesByBatch();
        assertThat(directoriesByBatch).hasSize(records / batchSize);
        directoriesByBatch.forEach((batch, directories) -> assertThat(directories).as("directories of batch %s", batch)
                .containsExactlyInAnyOrder("hour=13", "hour=09", "hour=08", "hour=07"));
        assertThat(h.lake.rows()).isEqualTo(records);
    }

    @Test
    void aRecordNeedingADirectoryBeyondTheOpenFileBoundStartsTheNextBatch() {
        LakeBatcher batcher = h.batcher(new RotationPolicy(1000, 128L << 20, DAY, 2, BatcherHarness.FLUSH));
        List<Instant> times = List.of(ON_TIME, LATE, ON_TIME, LATE, ON_TIME, // two directories: one batch
                LATE.minus(Duration.ofHours(1)), // a third: commit 0..4 first
                ON_TIME, LATE.minus(Duration.ofHours(1)), ON_TIME);
        for (int i = 0; i < times.size(); i++) {
            batcher.accept(h.topics.event(0, i, event("e-" + i, "contoso", times.get(i), "https://shop.example/")));
        }
        assertThat(h.offsetCommits).containsExactly("offset events 0->5 after 5 rows");
        batcher.commitAll();

        assertThat(directoriesByBatch()).containsOnly(
                Map.entry("pulse.events.v1+0+0+4.parquet", List.of("hour=09", "hour=13")),
                Map.entry("pulse.events.v1+0+5+8.parquet", List.of("hour=08", "hour=13")));
    }

    /** For each committed batch (file name), the hour directories holding one of its files, sorted. */
    private Map<String, List<String>> directoriesByBatch() {
        return h.store.listCommitted("events").stream().collect(Collectors.groupingBy(f -> f.name(), TreeMap::new,
                Collectors.collectingAndThen(Collectors.mapping(f -> f.directory().partitionSegments().get(2), Collectors.toList()),
                        l -> new ArrayList<>(l.stream().sorted().toList()))));
    }

    private static Envelope event(String id, String tenant, Instant eventTime, String url) {
        return TestEvents.base(id, tenant, EventType.PAGE_VIEW, new PageView(url, null, null)).setEventTime(eventTime).build();
    }
}
