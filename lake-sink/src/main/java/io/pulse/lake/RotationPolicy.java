package io.pulse.lake;

import io.pulse.common.config.PulseConfig;
import io.pulse.lake.dataset.LakeRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a partition's open batch is committed. Rotation points need not be deterministic: the lake's file names
 * record each batch's offset range, and recovery replays exactly that range, so none of these rules applies to
 * a replay batch, which ends where the interrupted batch ended.
 *
 * <p>Before a record is added, the batch is committed first (and the record starts the next one) when the
 * record's row has another schema than the batch's files, when it needs a lake directory beyond the open-file
 * bound, or when the batch's record-time span (Kafka timestamps, from its first record to this one) would reach
 * the rotate interval. After a record is added, the batch is committed when it holds the maximum number of
 * records or one of its files holds the maximum Parquet bytes. Independently, a batch open for the flush
 * interval (wall clock) is committed, so a quiet partition is still flushed.
 *
 * @param maxRecords     records (rows, skipped records and dead letters) of one batch
 * @param maxFileBytes   Parquet data bytes of one file (also its row-group size)
 * @param rotateInterval record-time span of one batch
 * @param maxOpenFiles   files (lake directories) one batch may have open
 * @param flushInterval  wall-clock time one batch may stay open
 */
record RotationPolicy(int maxRecords, long maxFileBytes, Duration rotateInterval, int maxOpenFiles, Duration flushInterval) {

    /** Why a batch was committed, for the log. */
    enum Reason { SCHEMA_CHANGE, OPEN_FILES, RECORD_TIME, RECORDS, FILE_BYTES, FLUSH_INTERVAL, REPLAY_COMPLETE, REPLAY_OVERRUN, REVOKED }

    RotationPolicy {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("max records per file must be at least 1, got " + maxRecords);
        }
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("max file bytes must be positive, got " + maxFileBytes);
        }
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("max open files must be at least 1, got " + maxOpenFiles);
        }
        requirePositive(rotateInterval, "rotate interval");
        requirePositive(flushInterval, "flush interval");
    }

    static RotationPolicy of(PulseConfig.Lake lake) {
        return new RotationPolicy(lake.maxRecordsPerFile(), lake.maxFileBytes(), lake.rotateInterval(), lake.maxOpenFiles(),
                lake.flushInterval());
    }

    /**
     * Whether {@code batch} must be committed before a record with this timestamp (and row, if it has one) joins it.
     */
    Optional<Reason> commitBefore(PartitionBatch batch, long timestamp, Optional<LakeRow> row) {
        if (batch.isReplay() || batch.isEmpty()) {
            return Optional.empty();
        }
        if (row.isPresent()) {
            LakeRow r = row.get();
            if (batch.rowSchema().isPresent() && !batch.rowSchema().get().equals(r.schema())) {
                return Optional.of(Reason.SCHEMA_CHANGE);
            }
            if (!batch.hasFileFor(r.directory()) && batch.openFiles() >= maxOpenFiles) {
                return Optional.of(Reason.OPEN_FILES);
            }
        }
        long first = batch.firstTimestamp();
        if (first >= 0 && timestamp >= 0 && timestamp - first >= rotateInterval.toMillis()) {
            return Optional.of(Reason.RECORD_TIME);
        }
        return Optional.empty();
    }

    /** Whether {@code batch} must be committed now that a record joined it. */
    Optional<Reason> commitAfter(PartitionBatch batch) {
        if (batch.isReplay()) {
            return batch.isReplayComplete() ? Optional.of(Reason.REPLAY_COMPLETE) : Optional.empty();
        }
        if (batch.records() >= maxRecords) {
            return Optional.of(Reason.RECORDS);
        }
        if (batch.largestFileBytes() >= maxFileBytes) {
            return Optional.of(Reason.FILE_BYTES);
        }
        return Optional.empty();
    }

    /** Whether {@code batch} has been open for the flush interval at {@code now}. */
    boolean isDue(PartitionBatch batch, Instant now) {
        return !batch.isReplay() && !batch.isEmpty() && !now.isBefore(batch.openedAt().plus(flushInterval));
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
