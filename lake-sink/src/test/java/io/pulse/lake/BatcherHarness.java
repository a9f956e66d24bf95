package io.pulse.lake;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.testing.MutableClock;
import io.pulse.lake.dataset.LakeDatasets;
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
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link LakeBatcher} over a real local lake, driven by hand: a movable clock, Kafka's in-memory producer for
 * dead letters, and a log of offset commits that records how many rows the lake held at each (so that a test
 * sees the lake was written before the offset moved).
 */
final class BatcherHarness {
    static final String KEY = "a-test-key-of-some-length";
    static final Duration FLUSH = Duration.ofSeconds(10);

    final Path lakeDir;
    final LocalLakeStore store;
    final DuckDbLake lake;
    final TestTopics topics = new TestTopics();
    final MutableClock clock = new MutableClock(Instant.parse("2024-06-01T00:00:00Z"));
    final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    final List<String> offsetCommits = new ArrayList<>();

    BatcherHarness(Path lakeDir) {
        this.lakeDir = lakeDir;
        this.store = new LocalLakeStore(lakeDir);
        this.lake = new DuckDbLake(lakeDir);
    }

    /** Commits by record count only (other limits far away). */
    static RotationPolicy byRecords(int maxRecords) {
        return new RotationPolicy(maxRecords, 128L << 20, Duration.ofDays(1), 24, FLUSH);
    }

    LakeBatcher batcher(RotationPolicy policy) {
        return batcher(policy, topics.serdes);
    }

    /** A batcher reading through {@code serdes} (perhaps another registry than the one the records were written with). */
    LakeBatcher batcher(RotationPolicy policy, SerdeFactory serdes) {
        LakeDatasets datasets = LakeDatasets.standard(PulseConfig.Lake.local(lakeDir, FLUSH, policy.maxRecords(), KEY), serdes);
        LakeBatcher.OffsetCommitter committer = (tp, next) -> {
            String dataset = datasets.forTopic(tp.topic()).name();
            offsetCommits.add("offset " + dataset + " " + tp.partition() + "->" + next + " after " + lake.rows(dataset) + " rows");
        };
        return new LakeBatcher(store, datasets, new DeadLetterPublisher(producer, clock), committer, clock, policy);
    }

    List<String> committedNames(String dataset) {
        return store.listCommitted(dataset).stream().map(LakeFile::relativePath).sorted().toList();
    }

    boolean noTemporaries() {
        try (Stream<Path> files = Files.walk(lakeDir)) {
            return files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
