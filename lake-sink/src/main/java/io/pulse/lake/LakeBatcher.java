package io.pulse.lake;

import io.pulse.avro.lake.LakeEventRow;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns consumed records into committed lake batches, one open batch per Kafka partition.
 *
 * <p>A batch is committed when it reaches the record limit, when it has been open for the flush
 * interval (wall clock, so a quiet partition is still flushed), when its partition is revoked, and at
 * shutdown. Commit order is what makes the lake exactly once: every file complete, then every file
 * renamed to the batch's deterministic name, then dead letters acknowledged, and only then the offset.
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
    private final LakeRowDecoder decoder;
    private final DeadLetterPublisher deadLetters;
    private final OffsetCommitter offsets;
    private final Clock clock;
    private final Duration flushInterval;
    private final int maxRecordsPerBatch;
    private final Map<TopicPartition, PartitionBatch> batches = new HashMap<>();

    LakeBatcher(LakeStore store, LakeRowDecoder decoder, DeadLetterPublisher deadLetters, OffsetCommitter offsets,
                Clock clock, Duration flushInterval, int maxRecordsPerBatch) {
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flush interval must be positive, got " + flushInterval);
        }
        if (maxRecordsPerBatch < 1) {
            throw new IllegalArgumentException("max records per file must be at least 1, got " + maxRecordsPerBatch);
        }
        this.store = store;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.offsets = offsets;
        this.clock = clock;
        this.flushInterval = flushInterval;
        this.maxRecordsPerBatch = maxRecordsPerBatch;
    }

    /** The partition's next records rebuild the interrupted batch before anything else. */
    void startReplay(TopicPartition partition, BatchFileName interrupted, Set<LakeDirectory> alreadyCommitted) {
        PartitionBatch previous = batches.put(partition,
                PartitionBatch.replay(partition, store, clock.instant(), interrupted, alreadyCommitted));
        if (previous != null && !previous.isEmpty()) {
            throw new IllegalStateException("partition " + partition + " was assigned while its previous batch was still open");
        }
    }

    /**
     * Adds one record to its partition's batch: as a row, or, if it cannot be read, as a dead letter.
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
            commit(tp, open);
        }
        LakeEventRow row;
        try {
            row = decoder.decode(record);
        } catch (RuntimeException e) {
            if (DecodeFailures.isTransient(e)) {
                log.warn("Cannot read record {}-{}@{} for now, will retry: {}", record.topic(), record.partition(), record.offset(), e.toString());
                return false;
            }
            PartitionBatch batch = batchOf(tp);
            deadLetters.publish(record, e);
            batch.addDeadLetter(record.offset());
            commitIfFull(tp, batch);
            return true;
        }
        PartitionBatch batch = batchOf(tp);
        batch.addRow(record.offset(), row);
        commitIfFull(tp, batch);
        return true;
    }

    /** Commits every batch that has been open for the flush interval. */
    void commitDue() {
        Instant now = clock.instant();
        for (Map.Entry<TopicPartition, PartitionBatch> e : List.copyOf(batches.entrySet())) {
            PartitionBatch batch = e.getValue();
            if (!batch.isReplay() && !batch.isEmpty() && !now.isBefore(batch.openedAt().plus(flushInterval))) {
                commit(e.getKey(), batch);
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
                commit(tp, batch);
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

    private PartitionBatch batchOf(TopicPartition tp) {
        return batches.computeIfAbsent(tp, p -> PartitionBatch.fresh(p, store, clock.instant()));
    }

    private void commitIfFull(TopicPartition tp, PartitionBatch batch) {
        boolean full = batch.isReplay() ? batch.isReplayComplete() : batch.records() >= maxRecordsPerBatch;
        if (full) {
            commit(tp, batch);
        }
    }

    private void commit(TopicPartition tp, PartitionBatch batch) {
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
        log.debug("Committed lake batch {}: {} rows, {} files committed, {} already there, {} dead letters",
                summary.name(), summary.rows(), summary.filesCommitted(), summary.filesAlreadyThere(), summary.deadLetters());
    }
}
