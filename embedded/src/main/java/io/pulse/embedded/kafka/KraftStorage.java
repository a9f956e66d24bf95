package io.pulse.embedded.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * The broker's KRaft log directory: formatted once (what {@code kafka-storage.sh format} does), reused
 * afterwards so that records and the cluster id survive a restart.
 */
final class KraftStorage {
    private final Path logDir;

    /** The feature that selects the transaction protocol (KIP-890); see {@link #TRANSACTION_VERSION}. */
    static final String TRANSACTION_VERSION_FEATURE = "transaction.version";
    /**
     * Transactions v1, not the default v2 of Kafka 4.x. Under v2 the broker answers a batch whose first sequence is
     * not 0 for a producer it holds no state for with a retriable OUT_OF_ORDER_SEQUENCE_NUMBER, and the producer
     * retries it without end (KAFKA-19880, open upstream): seen here as a stream thread of a restarted, SIGKILLed
     * instance and the bench's raw producer stalling for good under CPU contention. v1 keeps exactly_once_v2 (that is
     * KIP-447, not KIP-890) and is also what Event Hubs' Kafka endpoint speaks, so the embedded broker is no less
     * like production for it.
     */
    static final short TRANSACTION_VERSION = 1;

    KraftStorage(Path logDir) {
        this.logDir = logDir;
    }

    /** Formats the directory if it holds no {@code meta.properties} yet; returns the cluster id either way. */
    String formatIfNeeded(int nodeId, String controllerListenerName) {
        Optional<String> existing = existingClusterId();
        if (existing.isPresent()) {
            return existing.get();
        }
        String clusterId = Uuid.randomUuid().toString();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream())) // it prints to stdout by default
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setControllerListenerName(controllerListenerName)
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(logDir.toString())
                    .setFeatureLevel(TRANSACTION_VERSION_FEATURE, TRANSACTION_VERSION)
                    .run();
        } catch (Exception e) {
            throw new EmbeddedBrokerException("could not format the Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
        return clusterId;
    }

    private Optional<String> existingClusterId() {
        if (!Files.isDirectory(logDir)) {
            return Optional.empty();
        }
        try {
            return new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(List.of(logDir.toString()))
                    .addMetadataLogDir(logDir.toString())
                    .load()
                    .clusterId();
        } catch (IOException e) {
            throw new EmbeddedBrokerException("could not read the Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }
}
