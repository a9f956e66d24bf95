package io.pulse.lake;

import io.pulse.lake.RotationPolicy.Reason;
import io.pulse.lake.dataset.LakeDataset;
import io.pulse.lake.dataset.LakeDatasets;
import io.pulse.lake.dataset.LakeRow;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns consumed records into committed lake batches, one open batch per Kafka partition, each writing one
 * Parquet file per lake directory it touches in its partition's dataset ({@link LakeDatasets}).
 *
 * <p>Each record is read by its topic's dataset: it becomes a row, is skipped (a provisional metric), or, if it
 * cannot be read, goes to the dead-letter topic; all three count in the batch's offset range. A record that
 * could not be read for a passing reason (the schema registry is down) is not taken at all.
 *
 * <p>When a batch is committed is {@link RotationPolicy}'s call: before a record whose row has another schema,
 * needs a directory beyond the open-file bound, or would stretch the batch's record time to the rotate
 * interval (the record then starts the next batch); after the record limit or the file-size limit is reached;
 * after the flush interval on the wall clock, so a quiet partition is still flushed; and when the partition
 * is revoked or the sink stops. Bounding open files rather than rotating on every change of directory is what
 * keeps late records, interleaved with on-time ones, from producing a flood of one-record files.
 *
 * <p>Commit order is what makes the lake exactly once: every file complete, then every file renamed to the
 * batch's deterministic name, then dead letters acknowledged, and only then the offset.
 *
 * <p>Single-threaded: the consumer's thread drives it.
 */
final class LakeBatcher {
    private static final Logger log = LoggerFactory.getLogger(LakeBatcher.class);

    /** Commits the consumer's offset of one partition (synchronously). */
    @FunctionalInterface
    interface OffsetCommitter {
        void commit(TopicPartition partition, long nextOffset);
    }

    private final LakeStore store;
    private final LakeDatasets datasets;
    private final DeadLetterPublisher deadLetters;
    private final OffsetCommitter offsets;
    private final Clock clock;
    private final RotationPolicy policy;
    private final Map<TopicPartition, PartitionBatch> batches = new HashMap<>();

    LakeBatcher(LakeStore store, LakeDatasets datasets, DeadLetterPublisher deadLetters, OffsetCommitter offsets, Clock clock,
                RotationPolicy policy) {
        this.store = store;
        this.datasets = datasets;
        this.deadLetters = deadLetters;
        this.offsets = offsets;
        this.clock = clock;
        this.policy = policy;
    }

    /** The partition's next records rebuild the interrupted batch before anything else. */
    void startReplay(TopicPartition partition, BatchFileName interrupted, Set<LakeDirectory> alreadyCommitted) {
        PartitionBatch previous = batches.put(partition,
                PartitionBatch.replay(partition, store, policy.maxFileBytes(), clock.instant(), interrupted, alreadyCommitted));
        if (previous != null && !previous.isEmpty()) {
            throw new IllegalStateException("partition " + partition + " was assigned while its previous batch was still open");
        }
    }

    /**
     * Adds one record to its partition's batch: as a row, as a skipped record, or, if it cannot be read, as a
     * dead letter; commits batches as the rotation policy says.
     *
     * @return false if the record could not be read for a reason that is not the record's fault (the
     *         schema registry is unreachable): nothing was added, and the caller must read it again later
     */
    boolean accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionBatch open = batches.get(tp);
        if (open != null && open.isBeyondReplay(record.offset())) {
            log.warn("Replay of lake batch {} reached offset {} without seeing its last offset (records removed by retention?)",
                    open.fileName(), record.offset());
            commit(tp, open, Reason.REPLAY_OVERRUN);
        }
        LakeDataset dataset = datasets.forTopic(record.topic());
        Optional<LakeRow> row;
        RuntimeException unreadable = null;
        try {
            row = dataset.read(record);
        } catch (RuntimeException e) {
            if (DecodeFailures.isTransient(e)) {
                log.warn("Cannot read record {}-{}@{} for now, will retry: {}", record.topic(), record.partition(), record.offset(), e.toString());
                return false;
            }
            row = Optional.empty();
            unreadable = e;
        }
        commitBeforeIfNeeded(tp, record.timestamp(), row);
        PartitionBatch batch = batchOf(tp);
        if (unreadable != null) {
            deadLetters.publish(record, unreadable);
            batch.addWithoutRow(record.offset(), record.timestamp());
        } else if (row.isPresent()) {
            batch.addRow(record.offset(), record.timestamp(), row.get());
        } else {
            batch.addWithoutRow(record.offset(), record.timestamp());
        }
        Optional<Reason> full = policy.commitAfter(batch);
        if (full.isPresent()) {
            commit(tp, batch, full.get());
        }
        return true;
    }

    /** Commits every batch that has been open for the flush interval. */
    void commitDue() {
        Instant now = clock.instant();
        for (Map.Entry<TopicPartition, PartitionBatch> e : List.copyOf(batches.entrySet())) {
            if (policy.isDue(e.getValue(), now)) {
                commit(e.getKey(), e.getValue(), Reason.FLUSH_INTERVAL);
            }
        }
    }

    /**
     * Commits the partitions' batches (revocation, shutdown). A replay that has not reached its last
     * offset is discarded instead: committing it would publish its missing files short of rows.
     */
    void commit(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionBatch batch = batches.get(tp);
            if (batch == null) {
                continue;
            }
            if (batch.isReplay() && !batch.isReplayComplete()) {
                log.info("Replay of lake batch {} stopped before its end; whoever reads {} next replays it", batch.fileName(), tp);
                batches.remove(tp).discard();
            } else {
                commit(tp, batch, Reason.REVOKED);
            }
        }
    }

    void commitAll() {
        commit(List.copyOf(batches.keySet()));
    }

    /** Drops the partitions' batches without committing (partitions lost, or the sink failed). */
    void discard(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionBatch batch = batches.remove(tp);
            if (batch != null) {
                batch.discard();
            }
        }
    }

    void discardAll() {
        discard(List.copyOf(batches.keySet()));
    }

    private void commitBeforeIfNeeded(TopicPartition tp, long timestamp, Optional<LakeRow> row) {
        PartitionBatch open = batches.get(tp);
        if (open != null) {
            policy.commitBefore(open, timestamp, row).ifPresent(reason -> commit(tp, open, reason));
        }
    }

    private PartitionBatch batchOf(TopicPartition tp) {
        return batches.computeIfAbsent(tp, p -> PartitionBatch.fresh(p, store, policy.maxFileBytes(), clock.instant()));
    }

    private void commit(TopicPartition tp, PartitionBatch batch, Reason reason) {
        batches.remove(tp);
        if (batch.isEmpty()) {
            if (batch.isReplay()) {
                // Everything up to the interrupted batch's end is gone from Kafka: nothing left to rebuild.
                log.warn("Replay of lake batch {} found none of its records in Kafka; resuming after it", batch.fileName());
                offsets.commit(tp, batch.nextOffset());
            }
            return;
        }
        PartitionBatch.CommitSummary summary;
        try {
            summary = batch.commitFiles();
            deadLetters.awaitDelivered();
        } catch (RuntimeException e) {
            batch.discard();
            throw e;
        }
        offsets.commit(tp, batch.nextOffset());
        log.debug("Committed lake batch {} ({}): {} rows, {} records without a row, {} files committed, {} already there",
                summary.name(), reason, summary.rows(), summary.withoutRow(), summary.filesCommitted(), summary.filesAlreadyThere());
    }
}
