package io.pulse.launcher.wiring;

import io.javalin.config.JavalinConfig;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.lake.LakeSink;
import io.pulse.lake.store.LakeStores;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lake sink's consumer loop on a thread of its own. Ready while that loop runs; once it stopped on a
 * failure (it logged the cause where it happened), {@link #failure()} says so and the process should exit,
 * so that its partitions go to another instance and it restarts from the lake.
 */
final class LakeSinkComponent implements PipelineComponent {
    private final LakeSink sink;
    private final Thread thread;
    private final AtomicReference<RuntimeException> stoppedOn = new AtomicReference<>();
    private volatile boolean closing;

    /** Opens the sink's consumer and dead-letter producer and the lake store; the loop starts in {@link #start}. */
    LakeSinkComponent(PulseConfig config, KafkaClientSettings clients, SerdeFactory serdes) {
        this.sink = LakeSink.create(config.lake(), clients, serdes, LakeStores.open(config.lake()));
        this.thread = new Thread(this::run, "pulse-lake-sink");
    }

    private void run() {
        try {
            sink.run(); // until close(), or a failure
        } catch (RuntimeException e) {
            stoppedOn.set(e);
        }
    }

    @Override
    public Component kind() {
        return Component.LAKE_SINK;
    }

    @Override
    public void configure(JavalinConfig config) {
        // no routes: its health and metrics are the shared server's
    }

    @Override
    public void start(int boundPort) {
        thread.start();
    }

    @Override
    public ComponentReadiness readiness() {
        if (stoppedOn.get() != null) {
            return new ComponentReadiness(false, "FAILED");
        }
        return thread.isAlive() && !closing ? new ComponentReadiness(true, "RUNNING") : new ComponentReadiness(false, "STOPPED");
    }

    @Override
    public Optional<String> failure() {
        RuntimeException e = stoppedOn.get();
        return e == null ? Optional.empty() : Optional.of("the lake sink stopped on a failure (see the log above): " + e.getMessage());
    }

    /** Commits the open batches, then their offsets, and leaves the group (the sink waits for its loop). */
    @Override
    public void close() {
        closing = true;
        sink.close();
    }

    @Override
    public String toString() {
        return "lake sink";
    }
}
