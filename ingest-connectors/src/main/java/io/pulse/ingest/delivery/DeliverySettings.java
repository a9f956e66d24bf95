package io.pulse.ingest.delivery;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.Durations;
import io.pulse.common.config.ProcessingGuarantee;
import io.pulse.common.config.PulseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the delivery path behaves: where its outbox lives and how big it may grow, how often and how fast it
 * retries, when its circuit opens, how long a send may wait for the broker. Validated on construction;
 * every message names the {@code pulse.*} key.
 *
 * @param outboxDir           {@value ConfigKeys#INGEST_OUTBOX_DIR}: the outbox's directory (one per delivery target)
 * @param outboxMaxBytes      {@value ConfigKeys#INGEST_OUTBOX_MAX_MB} (in MiB there): undelivered bytes the outbox may hold;
 *                            beyond it deliveries fail (HTTP 503), never dropping silently
 * @param maxRetries          {@value ConfigKeys#INGEST_MAX_RETRIES}: retries of a record that keeps failing transiently while
 *                            the broker is reachable; then it goes to the dead-letter topic and an alert is raised
 * @param retryBackoff        {@value ConfigKeys#INGEST_RETRY_BACKOFF}: the first wait between retries, doubled each time
 * @param maxRetryBackoff     {@value ConfigKeys#INGEST_RETRY_MAX_BACKOFF}: the longest wait between retries
 * @param circuitFailureRate  {@value ConfigKeys#INGEST_CIRCUIT_FAILURE_RATE}: percentage of failed sends (broker unreachable)
 *                            among the last {@code circuitWindow} that opens the circuit
 * @param circuitMinimumCalls sends the circuit needs to see before it may open (not a key; default 5)
 * @param circuitOpenDuration {@value ConfigKeys#INGEST_CIRCUIT_OPEN_DURATION}: how long the circuit stays open before one probe
 * @param deliveryTimeout     {@value ConfigKeys#INGEST_DELIVERY_TIMEOUT}: how long a send may wait for the broker's
 *                            acknowledgement before its events go to the outbox (the producer's {@code delivery.timeout.ms})
 * @param producerOverrides   extra Kafka producer settings, applied last (tests lower client timeouts with them); not a key
 * @param transactionalId     if present, events are sent in Kafka transactions with this {@code transactional.id} (stable per
 *                            delivery instance), so that a send retried from the outbox after an outage is exactly once for
 *                            {@code read_committed} readers; derived from {@value ConfigKeys#STREAMS_GUARANTEE}
 *                            ({@code exactly_once_v2}); empty where the broker has no transactions (at-least-once, as before)
 */
public record DeliverySettings(
        Path outboxDir,
        long outboxMaxBytes,
        int maxRetries,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        int circuitFailureRate,
        int circuitMinimumCalls,
        Duration circuitOpenDuration,
        Duration deliveryTimeout,
        Map<String, Object> producerOverrides,
        Optional<String> transactionalId) {

    public static final long DEFAULT_OUTBOX_MAX_MB = 1024;
    public static final int DEFAULT_MAX_RETRIES = 10;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofMinutes(1);
    public static final int DEFAULT_CIRCUIT_FAILURE_RATE = 50;
    public static final int DEFAULT_CIRCUIT_MINIMUM_CALLS = 5;
    public static final Duration DEFAULT_CIRCUIT_OPEN_DURATION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    public DeliverySettings {
        Objects.requireNonNull(outboxDir, ConfigKeys.INGEST_OUTBOX_DIR);
        require(outboxMaxBytes >= 1L << 20, ConfigKeys.INGEST_OUTBOX_MAX_MB, "must be at least 1 (MiB)", outboxMaxBytes >> 20);
        require(maxRetries >= 0 && maxRetries <= 1000, ConfigKeys.INGEST_MAX_RETRIES, "must be a whole number from 0 to 1000", maxRetries);
        requirePositive(retryBackoff, ConfigKeys.INGEST_RETRY_BACKOFF);
        requirePositive(maxRetryBackoff, ConfigKeys.INGEST_RETRY_MAX_BACKOFF);
        require(maxRetryBackoff.compareTo(retryBackoff) >= 0, ConfigKeys.INGEST_RETRY_MAX_BACKOFF,
                "must be at least '" + ConfigKeys.INGEST_RETRY_BACKOFF + "' (" + Durations.format(retryBackoff) + ")",
                Durations.format(maxRetryBackoff));
        require(circuitFailureRate >= 1 && circuitFailureRate <= 100, ConfigKeys.INGEST_CIRCUIT_FAILURE_RATE,
                "must be a percentage from 1 to 100", circuitFailureRate);
        require(circuitMinimumCalls >= 1 && circuitMinimumCalls <= 1000, "circuitMinimumCalls", "must be from 1 to 1000",
                circuitMinimumCalls);
        requirePositive(circuitOpenDuration, ConfigKeys.INGEST_CIRCUIT_OPEN_DURATION);
        requirePositive(deliveryTimeout, ConfigKeys.INGEST_DELIVERY_TIMEOUT);
        require(deliveryTimeout.toMillis() >= 100 && deliveryTimeout.toMillis() <= Integer.MAX_VALUE, ConfigKeys.INGEST_DELIVERY_TIMEOUT,
                "must be from 100ms to 24d", Durations.format(deliveryTimeout));
        producerOverrides = Map.copyOf(Objects.requireNonNull(producerOverrides, "producerOverrides"));
        Objects.requireNonNull(transactionalId, "transactionalId");
        transactionalId.ifPresent(id -> require(!id.isBlank(), "transactionalId", "must not be blank", id));
    }

    /** The defaults, with the outbox under {@code <dataDir>/outbox}. */
    public static DeliverySettings defaults(Path dataDir) {
        return new DeliverySettings(dataDir.resolve("outbox"), DEFAULT_OUTBOX_MAX_MB << 20, DEFAULT_MAX_RETRIES,
                DEFAULT_RETRY_BACKOFF, DEFAULT_MAX_RETRY_BACKOFF, DEFAULT_CIRCUIT_FAILURE_RATE, DEFAULT_CIRCUIT_MINIMUM_CALLS,
                DEFAULT_CIRCUIT_OPEN_DURATION, DEFAULT_DELIVERY_TIMEOUT, Map.of(), Optional.empty());
    }

    /** The settings of the {@code pulse.ingest.*} keys (already validated by {@link PulseConfig}). */
    public static DeliverySettings from(PulseConfig config) {
        PulseConfig.Delivery d = config.delivery();
        return new DeliverySettings(d.outboxDir(), d.outboxMaxBytes(), d.maxRetries(), d.retryBackoff(), d.maxRetryBackoff(),
                d.circuitFailureRate(), DEFAULT_CIRCUIT_MINIMUM_CALLS, d.circuitOpenDuration(), d.deliveryTimeout(), Map.of(),
                config.streams().guarantee() == ProcessingGuarantee.EXACTLY_ONCE_V2
                        ? Optional.of(transactionalId(config.streams().applicationId(), localHost()))
                        : Optional.empty());
    }

    /**
     * The {@code transactional.id} of an ingest instance: stable across its restarts (so that a new producer fences
     * the old one's open transaction) and distinct between instances on different hosts.
     */
    static String transactionalId(String applicationId, String host) {
        return "pulse-ingest-" + applicationId + "-" + host;
    }

    private static String localHost() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "local";
        }
    }

    public DeliverySettings withOutboxDir(Path dir) {
        return new DeliverySettings(dir, outboxMaxBytes, maxRetries, retryBackoff, maxRetryBackoff, circuitFailureRate,
                circuitMinimumCalls, circuitOpenDuration, deliveryTimeout, producerOverrides, transactionalId);
    }

    public DeliverySettings withOutboxMaxBytes(long bytes) {
        return new DeliverySettings(outboxDir, bytes, maxRetries, retryBackoff, maxRetryBackoff, circuitFailureRate,
                circuitMinimumCalls, circuitOpenDuration, deliveryTimeout, producerOverrides, transactionalId);
    }

    public DeliverySettings withRetries(int retries, Duration backoff, Duration maxBackoff) {
        return new DeliverySettings(outboxDir, outboxMaxBytes, retries, backoff, maxBackoff, circuitFailureRate,
                circuitMinimumCalls, circuitOpenDuration, deliveryTimeout, producerOverrides, transactionalId);
    }

    public DeliverySettings withCircuit(int failureRate, int minimumCalls, Duration openDuration) {
        return new DeliverySettings(outboxDir, outboxMaxBytes, maxRetries, retryBackoff, maxRetryBackoff, failureRate,
                minimumCalls, openDuration, deliveryTimeout, producerOverrides, transactionalId);
    }

    public DeliverySettings withDeliveryTimeout(Duration timeout) {
        return new DeliverySettings(outboxDir, outboxMaxBytes, maxRetries, retryBackoff, maxRetryBackoff, circuitFailureRate,
                circuitMinimumCalls, circuitOpenDuration, timeout, producerOverrides, transactionalId);
    }

    /** Kafka producer settings applied over Pulse's (e.g. lower {@code request.timeout.ms} in tests). */
    public DeliverySettings withProducerOverrides(Map<String, Object> overrides) {
        return new DeliverySettings(outboxDir, outboxMaxBytes, maxRetries, retryBackoff, maxRetryBackoff, circuitFailureRate,
                circuitMinimumCalls, circuitOpenDuration, deliveryTimeout, overrides, transactionalId);
    }

    /** Sends in Kafka transactions with this {@code transactional.id} (empty: at-least-once, without transactions). */
    public DeliverySettings withTransactionalId(Optional<String> id) {
        return new DeliverySettings(outboxDir, outboxMaxBytes, maxRetries, retryBackoff, maxRetryBackoff, circuitFailureRate,
                circuitMinimumCalls, circuitOpenDuration, deliveryTimeout, producerOverrides, id);
    }

    private static void require(boolean ok, String key, String what, Object got) {
        if (!ok) {
            throw new IllegalArgumentException("'" + key + "' " + what + ", got '" + got + "'");
        }
    }

    private static void requirePositive(Duration d, String key) {
        Objects.requireNonNull(d, key);
        require(!d.isNegative() && !d.isZero(), key, "must be a positive duration such as 500ms, 30s or PT1M", d);
    }
}
