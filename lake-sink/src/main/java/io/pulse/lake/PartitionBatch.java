package io.pulse.lake;

import io.pulse.avro.lake.LakeEventRow;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.layout.EventsLayout;
import io.pulse.lake.parquet.LakeEventParquetWriter;
import io.pulse.lake.store.CommitOutcome;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.TemporaryFile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one Kafka partition since its last commit, streamed into one temporary Parquet file
 * per lake directory (tenant/date/hour) they belong to.
 *
 * <p>A <em>replay</em> batch re-creates a batch that a crash interrupted between its renames: its range
 * is fixed to the one already in the lake's file names, it is complete when it has seen the range's last
 * offset, and it writes nothing for directories whose file was already committed.
 */
final class PartitionBatch {
    private static final Logger log = LoggerFactory.getLogger(PartitionBatch.class);

    private final TopicPartition partition;
    private final LakeStore store;
    private final Instant openedAt;
    private final BatchFileName replayOf;
    private final Set<LakeDirectory> alreadyCommitted;
    private final Map<LakeDirectory, OpenFile> files = new LinkedHashMap<>();
    private long firstOffset = -1;
    private long lastOffset = -1;
    private int records;
    private int rows;
    private int deadLetters;

    private PartitionBatch(TopicPartition partition, LakeStore store, Instant openedAt, BatchFileName replayOf,
                           Set<LakeDirectory> alreadyCommitted) {
        this.partition = partition;
        this.store = store;
        this.openedAt = openedAt;
        this.replayOf = replayOf;
        this.alreadyCommitted = Set.copyOf(alreadyCommitted);
    }

    static PartitionBatch fresh(TopicPartition partition, LakeStore store, Instant now) {
        return new PartitionBatch(partition, store, now, null, Set.of());
    }

    static PartitionBatch replay(TopicPartition partition, LakeStore store, Instant now, BatchFileName interrupted,
                                 Set<LakeDirectory> alreadyCommitted) {
        return new PartitionBatch(partition, store, now, interrupted, alreadyCommitted);
    }

    void addRow(long offset, LakeEventRow row) {
        advanceTo(offset);
        rows++;
        LakeDirectory directory = EventsLayout.directoryOf(row);
        if (alreadyCommitted.contains(directory)) {
            return; // replay: this directory's file survived the crash
        }
        files.computeIfAbsent(directory, this::open).writer.write(row);
    }

    /** A record that went to the dead-letter topic: part of the batch's offsets, not of its files. */
    void addDeadLetter(long offset) {
        advanceTo(offset);
        deadLetters++;
    }

    private void advanceTo(long offset) {
        if (offset <= lastOffset) {
            throw new IllegalStateException("offset " + offset + " of " + partition + " arrived after offset " + lastOffset
                    + " in the same batch: the consumer went backwards");
        }
        if (firstOffset < 0) {
            firstOffset = offset;
        }
        lastOffset = offset;
        records++;
    }

    boolean isReplay() {
        return replayOf != null;
    }

    /** Replay batches only: whether {@code offset} lies beyond the interrupted range. */
    boolean isBeyondReplay(long offset) {
        return replayOf != null && offset > replayOf.lastOffset();
    }

    /** Replay batches only: whether the range's last offset has been seen. */
    boolean isReplayComplete() {
        return replayOf != null && lastOffset >= replayOf.lastOffset();
    }

    boolean isEmpty() {
        return records == 0;
    }

    int records() {
        return records;
    }

    Instant openedAt() {
        return openedAt;
    }

    /** The offset the consumer should resume from once this batch is committed. */
    long nextOffset() {
        return replayOf != null ? replayOf.lastOffset() + 1 : lastOffset + 1;
    }

    /** The name every file of this batch gets: a replay keeps the interrupted batch's range. */
    BatchFileName fileName() {
        return replayOf != null ? replayOf : new BatchFileName(partition.topic(), partition.partition(), firstOffset, lastOffset);
    }

    /**
     * Completes every file, then publishes each under the batch's name unless it is already there.
     * Offsets are the caller's business, and only after this returns.
     */
    CommitSummary commitFiles() {
        if (records == 0) {
            return new CommitSummary(null, 0, 0, 0, 0);
        }
        BatchFileName name = fileName();
        if (replayOf != null && firstOffset != replayOf.firstOffset()) {
            log.warn("Replaying lake batch {} of {} started at offset {}, not {}: the earlier records are no longer in Kafka (retention?)",
                    name, partition, firstOffset, replayOf.firstOffset());
        }
        for (OpenFile file : files.values()) {
            file.writer.close();
        }
        int committed = 0;
        int existing = alreadyCommitted.size();
        for (OpenFile file : files.values()) {
            if (store.commitIfAbsent(file.temporary, name.fileName()) == CommitOutcome.COMMITTED) {
                committed++;
            } else {
                existing++;
            }
        }
        files.clear();
        return new CommitSummary(name, rows, deadLetters, committed, existing);
    }

    /**
     * Throws the batch away: its files are never committed and its records will be read again by
     * whoever owns the partition next. Failures are logged, not thrown, because this runs while
     * another failure or a lost partition is already being handled; the next owner deletes leftovers.
     */
    void discard() {
        for (OpenFile file : files.values()) {
            try {
                file.writer.close();
            } catch (RuntimeException e) {
                log.warn("Could not close abandoned lake file {} of {}: {}", file.temporary, partition, e.toString());
            }
            try {
                store.discard(file.temporary);
            } catch (RuntimeException e) {
                log.warn("Could not delete abandoned lake file {} of {}; the partition's next owner deletes it: {}",
                        file.temporary, partition, e.toString());
            }
        }
        files.clear();
    }

    private OpenFile open(LakeDirectory directory) {
        TemporaryFile temporary = store.createTemporary(directory, BatchFileName.ownerTag(partition.topic(), partition.partition()));
        LakeEventParquetWriter writer = LakeEventParquetWriter.open(store.openForWrite(temporary), temporary.relativePath());
        return new OpenFile(temporary, writer);
    }

    private record OpenFile(TemporaryFile temporary, LakeEventParquetWriter writer) {
    }

    /** What one commit did, for the log line. */
    record CommitSummary(BatchFileName name, int rows, int deadLetters, int filesCommitted, int filesAlreadyThere) {
    }
}
