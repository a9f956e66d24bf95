package io.pulse.ingest.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A MockProducer whose sends fail as a script says: a failing send is reported on another thread, like the
 * real producer's I/O thread does, and never reaches {@link #history()}; the others are acknowledged at once.
 */
final class ScriptedProducer extends MockProducer<byte[], byte[]> {
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scripted-producer-io");
        t.setDaemon(true);
        return t;
    });
    private final List<ProducerRecord<byte[], byte[]>> failed = new ArrayList<>();
    private final List<Callback> hanging = new ArrayList<>();
    /** The failure of a record, or null to acknowledge it. */
    volatile Function<ProducerRecord<byte[], byte[]>, RuntimeException> failure = r -> null;
    /** Records never answered until the producer is closed (like an idempotent producer waiting to bump its epoch). */
    volatile java.util.function.Predicate<ProducerRecord<byte[], byte[]>> hang = r -> false;

    ScriptedProducer() {
        super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        if (closed()) {
            throw new IllegalStateException("MockProducer is already closed.");
        }
        if (hang.test(record)) {
            hanging.add(callback);
            return new CompletableFuture<>();
        }
        RuntimeException error = failure.apply(record);
        if (error == null) {
            return super.send(record, callback);
        }
        failed.add(record);
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        io.execute(() -> {
            callback.onCompletion(null, error);
            result.completeExceptionally(error);
        });
        return result;
    }

    synchronized List<ProducerRecord<byte[], byte[]>> failedSends() {
        return List.copyOf(failed);
    }

    synchronized List<ProducerRecord<byte[], byte[]>> sentTo(String topic) {
        return history().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    @Override
    public void close(java.time.Duration timeout) {
        List<Callback> aborted;
        synchronized (this) {
            aborted = List.copyOf(hanging);
            hanging.clear();
        }
        super.close(timeout);
        aborted.forEach(c -> c.onCompletion(null, new org.apache.kafka.common.KafkaException("Producer is closed forcefully.")));
        io.shutdown();
    }
}
