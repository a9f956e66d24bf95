package io.pulse.ingest.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transactional producer (one {@code transactional.id}) that sends groups of records all or nothing: each
 * {@link #send} is one transaction, committed only once the broker acknowledged every record of it.
 *
 * <p>Not thread-safe: one thread (the delivery path's transaction thread) calls it. Every call may block,
 * at most for {@code max.block.ms} per producer call plus the given stall time.
 *
 * <p>When a transaction cannot be committed, it is aborted; when the producer cannot even abort (the broker
 * is away, a send was never answered, the producer is in a fatal state), the producer is closed at once and
 * the next {@link #send} creates a new one with the same {@code transactional.id}: its
 * {@code initTransactions()} fences the old one and aborts its open transaction, so nothing of the failed
 * transaction becomes visible to a {@code read_committed} reader. {@code initTransactions()} blocks until the
 * transaction coordinator answers; while the broker is away it fails after {@code max.block.ms} and the next
 * {@link #send} tries again.
 */
final class TransactionalSends implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalSends.class);

    /**
     * What became of one transaction.
     *
     * @param committed whether every record is committed
     * @param errors    per record, the error the producer reported for it (null: none, or not sent because of another)
     * @param failure   the first error of the transaction (a record's, or of begin/commit/init); null if committed
     */
    record Outcome(boolean committed, List<Throwable> errors, Throwable failure) {
    }

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final String target;
    private Producer<byte[], byte[]> producer;

    TransactionalSends(Supplier<Producer<byte[], byte[]>> producers, String target) {
        this.producers = Objects.requireNonNull(producers, "producers");
        this.target = target;
    }

    /** Whether a producer with initialized transactions is at hand (no call needed to initialize one). */
    boolean ready() {
        return producer != null;
    }

    /** Sends the records in one transaction; waits at most {@code stall} for the broker's acknowledgements. */
    Outcome send(List<ProducerRecord<byte[], byte[]>> records, Duration stall) {
        Throwable[] errors = new Throwable[records.size()];
        Producer<byte[], byte[]> p;
        try {
            p = initialized();
        } catch (RuntimeException e) {
            return new Outcome(false, Arrays.asList(errors), e);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        Throwable failure = null;
        try {
            p.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(p.send(r));
            }
        } catch (RuntimeException e) {
            if (sent.size() < errors.length) {
                errors[sent.size()] = e;
            }
            failure = e;
        }
        long deadline = System.nanoTime() + stall.toNanos();
        boolean stalled = false;
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                errors[i] = e.getCause();
                failure = failure == null ? e.getCause() : failure;
            } catch (java.util.concurrent.TimeoutException e) {
                errors[i] = new TimeoutException("the broker did not acknowledge a send to " + records.get(i).topic()
                        + " within " + stall.toMillis() + " ms");
                failure = failure == null ? errors[i] : failure;
                stalled = true;
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
                stalled = true;
                break;
            }
        }
        if (failure == null) {
            try {
                p.commitTransaction();
                return new Outcome(true, Arrays.asList(errors), null);
            } catch (RuntimeException e) {
                // Unknown outcome (the broker went away while committing): fence it with a new producer.
                log.warn("Could not commit a transaction of {} records to {}: {}; replacing the producer", records.size(), target,
                        e.toString());
                reset();
                return new Outcome(false, Arrays.asList(errors), e);
            }
        }
        if (stalled || DeliveryFailures.classify(failure) == FailureKind.UNREACHABLE) {
            reset();
        } else {
            try {
                p.abortTransaction();
            } catch (RuntimeException e) {
                log.warn("Could not abort a transaction to {}: {}; replacing the producer", target, e.toString());
                reset();
            }
        }
        return new Outcome(false, Arrays.asList(errors), failure);
    }

    private Producer<byte[], byte[]> initialized() {
        if (producer == null) {
            Producer<byte[], byte[]> p = producers.get();
            try {
                p.initTransactions();
            } catch (RuntimeException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
            log.info("Transactions to {} initialized (an earlier producer of the same transactional.id is fenced, its open"
                    + " transaction aborted)", target);
        }
        return producer;
    }

    /** Closes the producer at once; the next one's initTransactions() aborts what it left open. */
    private void reset() {
        Producer<byte[], byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ZERO);
        }
    }

    void close(Duration timeout) {
        Producer<byte[], byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(timeout);
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
