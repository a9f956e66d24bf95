package io.pulse.lake;

import io.pulse.lake.dataset.LakeRow;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.parquet.LakeParquetWriter;
import io.pulse.lake.store.CommitOutcome;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.TemporaryFile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one Kafka partition since its last commit, streamed into one temporary Parquet file per lake
 * directory (dataset/tenant/date/hour) they belong to. Records that become no row (skipped, dead-lettered)
 * still count in the batch's offset range. The batch keeps the numbers {@link RotationPolicy} decides on.
 *
 * <p>A <em>replay</em> batch re-creates a batch that a crash interrupted between its renames: its range is fixed
 * to the one already in the lake's file names, it is complete when it has seen the range's last offset, and it
 * writes nothing for directories whose file was already committed.
 */
final class PartitionBatch {
    private static final Logger log = LoggerFactory.getLogger(PartitionBatch.class);

    private final TopicPartition partition;
    private final LakeStore store;
    private final long rowGroupBytes;
    private final Instant openedAt;
    private final BatchFileName replayOf;
    private final Set<LakeDirectory> alreadyCommitted;
    private final Map<LakeDirectory, LakeParquetWriter> files = new LinkedHashMap<>();
    private final Map<LakeDirectory, TemporaryFile> temporaries = new LinkedHashMap<>();
    private Schema rowSchema;
    private long firstOffset = -1;
    private long lastOffset = -1;
    private long firstTimestamp = -1;
    private int records;
    private int rows;
    private int withoutRow;
    private long largestFileBytes;

    private PartitionBatch(TopicPartition partition, LakeStore store, long rowGroupBytes, Instant openedAt, BatchFileName replayOf,
                           Set<LakeDirectory> alreadyCommitted) {
        this.partition = partition;
        this.store = store;
        this.rowGroupBytes = rowGroupBytes;
        this.openedAt = openedAt;
        this.replayOf = replayOf;
        this.alreadyCommitted = Set.copyOf(alreadyCommitted);
    }

    static PartitionBatch fresh(TopicPartition partition, LakeStore store, long rowGroupBytes, Instant now) {
        return new PartitionBatch(partition, store, rowGroupBytes, now, null, Set.of());
    }

    static PartitionBatch replay(TopicPartition partition, LakeStore store, long rowGroupBytes, Instant now, BatchFileName interrupted,
                                 Set<LakeDirectory> alreadyCommitted) {
        return new PartitionBatch(partition, store, rowGroupBytes, now, interrupted, alreadyCommitted);
    }

    void addRow(long offset, long timestamp, LakeRow row) {
        advanceTo(offset, timestamp);
        rows++;
        if (rowSchema == null) {
            rowSchema = row.schema();
        }
        if (alreadyCommitted.contains(row.directory())) {
            return; // replay: this directory's file survived the crash
        }
        LakeParquetWriter file = files.get(row.directory());
        if (file == null) {
            file = open(row.directory(), row.schema());
        }
        file.write(fitted(row, file.schema()).value());
        largestFileBytes = Math.max(largestFileBytes, file.dataSize());
    }

    /** A record that becomes no row (skipped, or sent to the dead-letter topic): part of the batch's offsets, not of its files. */
    void addWithoutRow(long offset, long timestamp) {
        advanceTo(offset, timestamp);
        withoutRow++;
    }

    /**
     * The row as its file's schema wants it. A fresh batch never mixes schemas (the policy commits first); a
     * replay must rebuild the interrupted batch's files as they were, and a batch written by an older sink may
     * have put rows of several writer schemas into one file, so its rows are projected onto the file's schema.
     */
    private LakeRow fitted(LakeRow row, Schema fileSchema) {
        if (fileSchema.equals(row.schema())) {
            return row;
        }
        if (replayOf == null) {
            throw new IllegalStateException("a row of schema " + row.schema().getFullName() + " reached a file of another schema in "
                    + row.directory() + " of " + partition + ": the batch should have been committed first");
        }
        log.warn("Replay of lake batch {}: projecting a row onto the schema of its file in {}, which differs from the row's",
                replayOf, row.directory());
        return row.projectedOnto(fileSchema);
    }

    private void advanceTo(long offset, long timestamp) {
        if (offset <= lastOffset) {
            throw new IllegalStateException("offset " + offset + " of " + partition + " arrived after offset " + lastOffset
                    + " in the same batch: the consumer went backwards");
        }
        if (firstOffset < 0) {
            firstOffset = offset;
            firstTimestamp = timestamp;
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

    /** The Kafka timestamp of the batch's first record; negative if it had none. */
    long firstTimestamp() {
        return firstTimestamp;
    }

    /** The schema of the batch's rows (and files), once it has a row. */
    Optional<Schema> rowSchema() {
        return Optional.ofNullable(rowSchema);
    }

    /** Whether a row for {@code directory} would go to a file the batch already has (or had, before a crash). */
    boolean hasFileFor(LakeDirectory directory) {
        return files.containsKey(directory) || alreadyCommitted.contains(directory);
    }

    int openFiles() {
        return files.size();
    }

    /** Parquet data bytes of the batch's largest file. */
    long largestFileBytes() {
        return largestFileBytes;
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
        for (LakeParquetWriter file : files.values()) {
            file.close();
        }
        int committed = 0;
        int existing = alreadyCommitted.size();
        for (TemporaryFile temporary : temporaries.values()) {
            if (store.commitIfAbsent(temporary, name.fileName()) == CommitOutcome.COMMITTED) {
                committed++;
            } else {
                existing++;
            }
        }
        files.clear();
        temporaries.clear();
        return new CommitSummary(name, rows, withoutRow, committed, existing);
    }

    /**
     * Throws the batch away: its files are never committed and its records will be read again by
     * whoever owns the partition next. Failures are logged, not thrown, because this runs while
     * another failure or a lost partition is already being handled; the next owner deletes leftovers.
     */
    void discard() {
        for (Map.Entry<LakeDirectory, TemporaryFile> e : temporaries.entrySet()) {
            LakeParquetWriter writer = files.get(e.getKey());
            try {
                if (writer != null) {
                    writer.close();
                }
            } catch (RuntimeException ex) {
                log.warn("Could not close abandoned lake file {} of {}: {}", e.getValue(), partition, ex.toString());
            }
            try {
                store.discard(e.getValue());
            } catch (RuntimeException ex) {
                log.warn("Could not delete abandoned lake file {} of {}; the partition's next owner deletes it: {}",
                        e.getValue(), partition, ex.toString());
            }
        }
        files.clear();
        temporaries.clear();
    }

    private LakeParquetWriter open(LakeDirectory directory, Schema schema) {
        TemporaryFile temporary = store.createTemporary(directory, BatchFileName.ownerTag(partition.topic(), partition.partition()));
        temporaries.put(directory, temporary);
        LakeParquetWriter writer = LakeParquetWriter.open(store.openForWrite(temporary), temporary.relativePath(), schema, rowGroupBytes);
        files.put(directory, writer);
        return writer;
    }

    /** What one commit did, for the log line. */
    record CommitSummary(BatchFileName name, int rows, int withoutRow, int filesCommitted, int filesAlreadyThere) {
    }
}
