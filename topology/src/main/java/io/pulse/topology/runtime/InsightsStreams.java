package io.pulse.topology.runtime;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the lifecycle of the topology's {@link KafkaStreams} instance: the processing-guarantee check at start
 * ({@link GuaranteeCheck}), the uncaught-exception policy (replace a failed thread a bounded number of times,
 * then shut down cleanly: {@link BoundedThreadReplacement}) and close.
 */
public final class InsightsStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InsightsStreams.class);
    /** Thread replacements before the instance gives up: a crash loop must end, not spin. */
    static final int MAX_THREAD_REPLACEMENTS = 3;

    private final KafkaStreams streams;
    private final Properties properties;
    private final Duration guaranteeCheckTimeout;
    private final BoundedThreadReplacement policy = new BoundedThreadReplacement(MAX_THREAD_REPLACEMENTS);

    public InsightsStreams(Topology topology, Properties properties) {
        this(topology, properties, GuaranteeCheck.DEFAULT_TIMEOUT);
    }

    InsightsStreams(Topology topology, Properties properties, Duration guaranteeCheckTimeout) {
        this.properties = new Properties();
        this.properties.putAll(properties);
        this.guaranteeCheckTimeout = guaranteeCheckTimeout;
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(policy);
        streams.setStateListener((now, before) -> log.info("Kafka Streams state {} -> {}", before, now));
    }

    /**
     * Starts processing, after checking that the cluster can give the configured processing guarantee.
     *
     * @throws io.pulse.common.config.ConfigException when exactly_once_v2 is configured and the cluster cannot run
     *                                                transactions (see {@link GuaranteeCheck}); nothing was started
     */
    public void start() {
        GuaranteeCheck.verify(properties, guaranteeCheckTimeout);
        streams.start();
    }

    /** Stream threads replaced so far after an uncaught error. */
    int threadReplacements() {
        return policy.replacements();
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
