package io.pulse.topology.runtime;

import io.pulse.common.config.ConfigException;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.Durations;
import io.pulse.common.config.ProcessingGuarantee;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses {@code exactly_once_v2} on a cluster that cannot run transactions, at start-up and with a message
 * that says why and what to do, instead of letting Kafka Streams stall or die at its first commit.
 *
 * <p>The check is the real thing: a probe producer with the application's own connection, security and
 * producer settings and Kafka Streams' transaction timeout asks the cluster for a transactional producer id
 * ({@code initTransactions}). That fails where transactions are unusable: a broker without the transaction
 * APIs (Event Hubs Standard), a transaction coordinator that cannot exist (a transaction state log whose
 * replication factor the cluster cannot meet), a transaction timeout above the broker's maximum, or a
 * principal not allowed to use transactional ids. With {@code at_least_once} nothing is checked.
 *
 * <p>The probe uses the transactional id {@code <application.id>-guarantee-probe}, the same at every start,
 * so probes leave one entry in the transaction state log per application, not one per start.
 */
public final class GuaranteeCheck {
    private static final Logger log = LoggerFactory.getLogger(GuaranteeCheck.class);

    /** How long a start waits for the cluster to grant a transactional producer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** Kafka Streams' transaction timeout under exactly_once_v2 unless the application sets its own. */
    static final int STREAMS_EOS_TRANSACTION_TIMEOUT_MS = 10_000;

    private GuaranteeCheck() {
    }

    /**
     * Returns when the configured guarantee can be given: at once for {@code at_least_once}; for
     * {@code exactly_once_v2} once the cluster granted a transactional producer.
     *
     * @param streamsConfig the Kafka Streams configuration the application will start with
     * @throws ConfigException naming {@link ConfigKeys#STREAMS_GUARANTEE}, why the cluster cannot give the
     *                         guarantee, and the alternative
     */
    public static void verify(Properties streamsConfig, Duration timeout) {
        Object guarantee = streamsConfig.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        if (!ProcessingGuarantee.EXACTLY_ONCE_V2.streamsValue().equals(String.valueOf(guarantee))) {
            return;
        }
        Map<String, Object> config = probeConfig(streamsConfig, timeout);
        long started = System.nanoTime();
        KafkaProducer<byte[], byte[]> probe = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            probe.initTransactions();
            log.info("The Kafka cluster at {} runs transactions: exactly_once_v2 can be given (checked in {} ms)",
                    config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (KafkaException e) {
            throw refusal(config, timeout, e);
        } finally {
            probe.close(CLOSE_TIMEOUT); // nothing was sent; do not wait on a coordinator that never came
        }
    }

    /** The first error in the chain that says what went wrong: the producer wraps some in a plain KafkaException. */
    private static Throwable rootOfKind(KafkaException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof UnsupportedVersionException
                    || t instanceof TransactionalIdAuthorizationException || t instanceof ClusterAuthorizationException) {
                return t;
            }
        }
        return failure;
    }

    /** The producer Kafka Streams would create (its connection, security and producer.* settings), made transactional. */
    static Map<String, Object> probeConfig(Properties streamsConfig, Duration timeout) {
        Set<String> producerKeys = ProducerConfig.configNames();
        Map<String, Object> config = new HashMap<>();
        streamsConfig.forEach((k, v) -> {
            String key = k.toString();
            if (producerKeys.contains(key)) {
                config.put(key, v);
            }
        });
        // producer.-prefixed settings win over plain ones, as in Kafka Streams.
        streamsConfig.forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(StreamsConfig.PRODUCER_PREFIX) && producerKeys.contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length()))) {
                config.put(key.substring(StreamsConfig.PRODUCER_PREFIX.length()), v);
            }
        });
        config.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, STREAMS_EOS_TRANSACTION_TIMEOUT_MS);
        String applicationId = String.valueOf(streamsConfig.get(StreamsConfig.APPLICATION_ID_CONFIG));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, applicationId + "-guarantee-probe");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-guarantee-probe");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1, timeout.toMillis()));
        config.remove(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
        return config;
    }

    private static ConfigException refusal(Map<String, Object> config, Duration timeout, KafkaException failure) {
        String cluster = "the Kafka cluster at " + config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        Throwable cause = rootOfKind(failure);
        String why;
        if (cause instanceof TimeoutException) {
            why = cluster + " did not grant a transactional producer within " + Durations.format(timeout)
                    + ": no transaction coordinator is available (is the transaction state log's replication factor,"
                    + " transaction.state.log.replication.factor, above the number of brokers?)";
        } else if (cause instanceof UnsupportedVersionException) {
            why = cluster + " does not support transactions (Event Hubs Standard, for one, has no transaction API)";
        } else if (cause instanceof TransactionalIdAuthorizationException || cause instanceof ClusterAuthorizationException) {
            why = cluster + " does not allow this principal to use transactional ids (needs WRITE on the TransactionalId"
                    + " resources named after the application id)";
        } else {
            // Some refusals (a transaction timeout above the broker's transaction.max.timeout.ms) arrive untyped,
            // with the broker's explanation in the message.
            why = cluster + " refused a transactional producer with Kafka Streams' transaction timeout of "
                    + config.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG) + " ms ("
                    + String.valueOf(failure.getMessage()).replaceAll("\\.+$", "") + ")";
        }
        ConfigException refusal = new ConfigException("'" + ConfigKeys.STREAMS_GUARANTEE + "' is exactly_once_v2, but " + why
                + ". Fix the cluster, or set " + ConfigKeys.STREAMS_GUARANTEE + "=at_least_once; Pulse then de-duplicates"
                + " by event id");
        refusal.initCause(failure); // the client's own error, for the stack trace
        return refusal;
    }
}
