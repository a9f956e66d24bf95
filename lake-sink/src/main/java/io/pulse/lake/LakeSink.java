package io.pulse.lake;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.lake.dataset.LakeDatasets;
import io.pulse.lake.store.LakeStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies topics into the lake's datasets as Parquet, exactly once. One consumer (group {@value #GROUP_ID})
 * reads every dataset's topic ({@link LakeDatasets#standard}):
 * <ul>
 *   <li>{@code events} from {@code pulse.events.v1}: every envelope flattened to columns, the customer id
 *       pseudonymised, partitioned by event time; envelope fields newer than this build become extra columns;</li>
 *   <li>{@code metrics} from {@code pulse.metrics.v1}: final window results only, as the topology wrote them
 *       (provisional updates are skipped), partitioned by window start;</li>
 *   <li>{@code alerts} from {@code pulse.alerts.v1}: every alert as written, partitioned by window start.</li>
 * </ul>
 * Every dataset is laid out as
 * {@code <dataset>/tenant=<tenant>/date=YYYY-MM-DD/hour=HH/<topic>+<partition>+<firstOffset>+<lastOffset>.parquet}
 * (UTC).
 *
 * <p>Each Kafka partition's records are batched into one file per lake directory they touch; a batch is
 * committed by renaming its files to names made of the partition and the batch's offset range, and only
 * then committing the consumer offset. When a batch is committed is {@link RotationPolicy}'s call: record
 * count, file size, record-time span, a bound on open files (late records do not cause a file per switch),
 * a change of row schema, and a wall-clock flush interval for quiet partitions. When a partition is assigned,
 * the lake's file names in its dataset say where its last batch ended; a batch cut short between renames is
 * replayed over exactly its range, so a crash neither loses nor duplicates a row, whatever cut the batches.
 * Records that cannot be read go to the dead-letter topic with headers saying why; a schema registry that
 * does not answer holds the partition back, with growing delays, instead.
 *
 * <p>{@link #run()} is the consumer loop and blocks until {@link #close()} (from another thread) or a
 * failure; it runs once. Create with {@link #create}.
 */
public final class LakeSink implements Runnable, AutoCloseable {
    public static final String GROUP_ID = "pulse-lake-sink";
    static final String CONSUMER_CLIENT_ID = "pulse-lake-sink";
    static final String DEAD_LETTER_CLIENT_ID = "pulse-lake-sink-dead-letters";
    /** How long {@link #close()} waits for the loop to commit open batches and leave the group. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /** Upper bound of one poll, so that flush deadlines and {@link #close()} are noticed promptly. */
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(200);

    private static final Logger log = LoggerFactory.getLogger(LakeSink.class);

    private enum State { NEW, RUNNING, CLOSED }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final LakeDatasets datasets;
    private final LakeBatcher batcher;
    private final LakeRecovery recovery;
    private final PartitionBackoff backoff;
    private final Duration pollTimeout;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closeRequested;
    private volatile boolean failed;
    private volatile Thread runner;

    LakeSink(PulseConfig.Lake lake, LakeStore store, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
             LakeDatasets datasets, Clock clock) {
        Objects.requireNonNull(lake, "lake");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.datasets = Objects.requireNonNull(datasets, "datasets");
        this.batcher = new LakeBatcher(store, datasets, new DeadLetterPublisher(producer, clock), this::commitOffset, clock,
                RotationPolicy.of(lake));
        this.recovery = new LakeRecovery(store, datasets);
        this.backoff = new PartitionBackoff(clock);
        this.pollTimeout = lake.flushInterval().compareTo(MAX_POLL_WAIT) < 0 ? lake.flushInterval() : MAX_POLL_WAIT;
    }

    /**
     * A sink writing the {@linkplain LakeDatasets#standard standard datasets} to {@code store} (see
     * {@link io.pulse.lake.store.LakeStores#open}), with its own consumer (group {@value #GROUP_ID}) and
     * dead-letter producer.
     *
     * @param serdes the process's serdes (and through them the schema registry)
     */
    public static LakeSink create(PulseConfig.Lake lake, KafkaClientSettings kafka, SerdeFactory serdes, LakeStore store) {
        LakeDatasets datasets = LakeDatasets.standard(lake, serdes);
        Map<String, Object> consumerProps = kafka.consumer(GROUP_ID, CONSUMER_CLIENT_ID);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = null;
        try {
            producer = new KafkaProducer<>(kafka.producer(DEAD_LETTER_CLIENT_ID), new ByteArraySerializer(), new ByteArraySerializer());
            return new LakeSink(lake, store, consumer, producer, datasets, Clock.systemUTC());
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close();
            }
            consumer.close();
            throw e;
        }
    }

    /**
     * Consumes until {@link #close()} is called, then commits open batches and closes the Kafka clients.
     * On a failure, open batches are dropped (their partitions resume from the lake on restart), the
     * clients are closed, the failure is logged once here and rethrown.
     */
    @Override
    public void run() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("a LakeSink runs once; this one is " + state.get());
        }
        runner = Thread.currentThread();
        Throwable failure = null;
        try {
            try {
                consume();
                batcher.commitAll();
            } catch (RuntimeException | Error e) {
                failure = e;
                failed = true;
                log.error("Lake sink stopped on a failure; its open batches are dropped and each partition resumes from the lake's"
                        + " last batch when it is read again", e);
                batcher.discardAll();
            }
            RuntimeException closeFailure = closeClients();
            if (closeFailure != null) {
                if (failure == null) {
                    failure = closeFailure;
                } else {
                    failure.addSuppressed(closeFailure);
                }
            }
        } finally {
            state.set(State.CLOSED);
            stopped.countDown();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private void consume() {
        consumer.subscribe(datasets.topics(), new Rebalance());
        while (!closeRequested) {
            backoff.resumeDue(consumer);
            ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                    if (!batcher.accept(record)) {
                        backoff.holdBack(consumer, tp, record.offset());
                        break;
                    }
                    backoff.succeeded(tp);
                }
            }
            batcher.commitDue();
        }
    }

    /**
     * Stops the loop, which commits what is buffered and closes the Kafka clients; waits up to
     * {@link #CLOSE_TIMEOUT}. Safe to call more than once, from any thread, also when {@link #run()}
     * was never called.
     */
    @Override
    public void close() {
        closeRequested = true;
        if (state.compareAndSet(State.NEW, State.CLOSED)) {
            stopped.countDown();
            RuntimeException closeFailure = closeClients();
            if (closeFailure != null) {
                throw closeFailure;
            }
            return;
        }
        if (Thread.currentThread() == runner) {
            return; // called from inside the loop: it ends at its next turn
        }
        try {
            if (!stopped.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the lake sink did not stop within " + CLOSE_TIMEOUT
                        + ": its thread is still committing or is stuck; open batches will be replayed from the lake on restart");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lake sink to stop", e);
        }
    }

    private void commitOffset(TopicPartition partition, long nextOffset) {
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(nextOffset)));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The batch's files are already in the lake under their final names. Whoever reads the partition
            // next finds that batch as the lake's last one, sees the older committed offset and replays it:
            // every file is already there, so nothing is written twice. No reason to stop the sink.
            log.warn("Offset commit of {} at {} refused by the group ({}); the lake batch is committed and its replay by the"
                    + " partition's next reader will find it complete", partition, nextOffset, e.toString());
        }
    }

    private RuntimeException closeClients() {
        RuntimeException failure = null;
        try {
            consumer.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            producer.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    /** Commits before partitions leave, and plans each new partition's resumption from the lake. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            backoff.forget(partitions);
            if (failed) {
                batcher.discard(partitions);
            } else {
                batcher.commit(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Someone else may own them already: committing now could race the new owner's replay.
            log.warn("Lost partitions {} without a clean revocation; their open batches are dropped", partitions);
            backoff.forget(partitions);
            batcher.discard(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            recovery.plan(partitions, committed).forEach((tp, plan) -> {
                if (plan instanceof ResumePlan.Replay replay) {
                    log.info("Partition {}: replaying lake batch {} ({} of its directories already committed)",
                            tp, replay.interrupted(), replay.alreadyCommitted().size());
                    consumer.seek(tp, replay.interrupted().firstOffset());
                    batcher.startReplay(tp, replay.interrupted(), replay.alreadyCommitted());
                } else if (plan instanceof ResumePlan.FromCommittedOffset fromCommitted) {
                    log.info("Partition {}: resuming at {}", tp, fromCommitted.committed().isPresent()
                            ? "committed offset " + fromCommitted.committed().getAsLong() : "the auto.offset.reset position (nothing committed)");
                }
            });
        }
    }
}
