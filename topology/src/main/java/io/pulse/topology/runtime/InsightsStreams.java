package io.pulse.topology.runtime;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the lifecycle of the topology's {@link KafkaStreams} instance: start, the uncaught-exception
 * policy (replace a failed thread a bounded number of times, then shut down cleanly) and close.
 */
public final class InsightsStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InsightsStreams.class);
    /** Thread replacements before the instance gives up: a crash loop must end, not spin. */
    static final int MAX_THREAD_REPLACEMENTS = 3;

    private final KafkaStreams streams;
    private final AtomicInteger replacements = new AtomicInteger();

    public InsightsStreams(Topology topology, Properties properties) {
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(error -> {
            int n = replacements.incrementAndGet();
            if (n <= MAX_THREAD_REPLACEMENTS) {
                log.error("Stream thread failed ({} of {} replacements); replacing it", n, MAX_THREAD_REPLACEMENTS, error);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            log.error("Stream thread failed again after {} replacements; shutting this instance down", MAX_THREAD_REPLACEMENTS, error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> log.info("Kafka Streams state {} -> {}", before, now));
    }

    public void start() {
        streams.start();
    }

    /** For the insights API's query service, which is the only reader of state stores. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // Leave the group on a clean stop: otherwise the next start waits for this member's session to time out.
        CloseOptions options = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60));
        if (!streams.close(options)) {
            log.warn("Kafka Streams did not close within 60s");
        }
    }
}
