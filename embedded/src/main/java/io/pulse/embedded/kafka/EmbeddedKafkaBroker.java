package io.pulse.embedded.kafka;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft combined mode (broker and controller, node 1) running inside this JVM,
 * with its data under {@code <dataDir>/kafka}. It is what the local profile and the integration tests run on.
 *
 * <p>{@link #start()} formats the storage on first use only, so stopping and starting again on the same
 * directory keeps the records and the cluster id; ports chosen with 0 are kept across restarts too.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder(tempDir).build().start()) {
 *     Map<String, Object> producerConfig = Map.of("bootstrap.servers", kafka.bootstrapServers(), ...);
 * }
 * }</pre>
 *
 * <p>Kafka's server halts the JVM on some fatal faults (a log directory deleted under it, for example):
 * stop the broker before removing its data directory.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String SASL_SSL_PORT_DESCRIPTION = "the embedded broker's SASL_SSL listener port";

    private final Path dataDir;
    private final Path logDir;
    private final Map<String, String> extraProperties;
    private final Duration startupTimeout;
    private final Optional<SaslSslListener> requestedSaslSsl;
    private int brokerPort;
    private int controllerPort;
    private Optional<SaslSslListener> saslSsl;
    private boolean portsResolved;

    private KafkaRaftServer server;
    private String clusterId;

    private EmbeddedKafkaBroker(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.logDir = dataDir.resolve("kafka");
        this.brokerPort = b.brokerPort;
        this.controllerPort = b.controllerPort;
        this.requestedSaslSsl = b.saslSsl;
        this.saslSsl = b.saslSsl;
        this.extraProperties = Map.copyOf(b.extraProperties);
        this.startupTimeout = b.startupTimeout;
    }

    /** A broker keeping its data under {@code <dataDir>/kafka}; both ports default to 0 (a free one). */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A broker as the local profile describes it: its data directory and {@code pulse.embedded.*} ports. */
    public static Builder builder(PulseConfig config) {
        return new Builder(config.dataDir())
                .brokerPort(config.embedded().brokerPort())
                .controllerPort(config.embedded().controllerPort());
    }

    /**
     * Formats the storage if it is new, starts the broker and returns once it serves clients, or fails
     * within the startup timeout. Does nothing if it is already running.
     *
     * @throws EmbeddedBrokerException if a port is taken (naming the port and its key), the storage cannot be
     *                                 formatted, or the broker does not come up in time
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        resolvePortsOnce();
        Ports.requireFree(brokerPort, ConfigKeys.BROKER_PORT);
        Ports.requireFree(controllerPort, ConfigKeys.CONTROLLER_PORT);
        saslSsl.ifPresent(l -> Ports.requireFree(l.port(), SASL_SSL_PORT_DESCRIPTION));

        clusterId = new KraftStorage(logDir).formatIfNeeded(BrokerProperties.NODE_ID, BrokerProperties.CONTROLLER_LISTENER);
        KafkaConfig config = KafkaConfig.fromProps(
                BrokerProperties.of(logDir, brokerPort, controllerPort, saslSsl, startupTimeout, extraProperties),
                false); // false: do not log all ~300 settings at INFO
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
            BrokerReadiness.await(bootstrapServers(), deadline, startupTimeout);
        } catch (RuntimeException e) {
            EmbeddedBrokerException failure = new EmbeddedBrokerException(
                    "the embedded Kafka broker did not start (data in " + logDir + "): " + e.getMessage(), e);
            shutDown(starting).ifPresent(failure::addSuppressed);
            throw failure;
        }
        server = starting;
        LOG.info("Embedded Kafka broker listening on {}{} (KRaft controller on port {}), cluster {}, data in {}",
                bootstrapServers(), saslSsl.map(l -> " and SASL_SSL on port " + l.port()).orElse(""),
                controllerPort, clusterId, logDir);
        return this;
    }

    /** Shuts the broker down cleanly (controlled shutdown, logs flushed) and waits for it. Does nothing if stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        Optional<RuntimeException> failure = shutDown(stopping);
        if (failure.isPresent()) {
            throw new EmbeddedBrokerException("the embedded Kafka broker did not shut down cleanly (data in " + logDir + ")",
                    failure.get());
        }
        LOG.info("Embedded Kafka broker on {} stopped", bootstrapServers());
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code localhost:<port>} of the plaintext client listener. Known once the broker has been started. */
    public synchronized String bootstrapServers() {
        requirePorts();
        return BrokerProperties.HOST + ":" + brokerPort;
    }

    /** {@code localhost:<port>} of the SASL_SSL listener, if one was configured. Known once started. */
    public synchronized Optional<String> saslSslBootstrapServers() {
        requirePorts();
        return saslSsl.map(l -> BrokerProperties.HOST + ":" + l.port());
    }

    public synchronized int brokerPort() {
        requirePorts();
        return brokerPort;
    }

    public synchronized int controllerPort() {
        requirePorts();
        return controllerPort;
    }

    public synchronized OptionalInt saslSslPort() {
        requirePorts();
        return saslSsl.map(l -> OptionalInt.of(l.port())).orElse(OptionalInt.empty());
    }

    /** The KRaft cluster id, kept in the storage and therefore the same after a restart. Known once started. */
    public synchronized String clusterId() {
        if (clusterId == null) {
            throw new IllegalStateException("the embedded Kafka broker has not been started yet");
        }
        return clusterId;
    }

    /** Where the broker's log (and KRaft metadata) directory lives: {@code <dataDir>/kafka}. */
    public Path logDir() {
        return logDir;
    }

    private void resolvePortsOnce() {
        if (portsResolved) {
            return;
        }
        int noListener = -1; // left alone by resolve(), which only replaces zeros
        int[] ports = Ports.resolve(brokerPort, controllerPort, requestedSaslSsl.map(SaslSslListener::port).orElse(noListener));
        brokerPort = ports[0];
        controllerPort = ports[1];
        saslSsl = requestedSaslSsl.map(l -> l.withPort(ports[2]));
        portsResolved = true;
    }

    private void requirePorts() {
        if (!portsResolved) {
            throw new IllegalStateException("the embedded Kafka broker has not been started yet: its ports are chosen at start()");
        }
    }

    /** Shuts a (possibly half-started) server down; returns what went wrong, if anything, for the caller to report. */
    private static Optional<RuntimeException> shutDown(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e);
        }
    }

    /** Configures an {@link EmbeddedKafkaBroker}; nothing is started or bound until {@link EmbeddedKafkaBroker#start()}. */
    public static final class Builder {
        private final Path dataDir;
        private int brokerPort;
        private int controllerPort;
        private Optional<SaslSslListener> saslSsl = Optional.empty();
        private final Map<String, String> extraProperties = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** Client (PLAINTEXT) port; 0, the default, picks a free one at the first start. */
        public Builder brokerPort(int port) {
            this.brokerPort = checkPort(port, ConfigKeys.BROKER_PORT);
            return this;
        }

        /** KRaft controller port; 0, the default, picks a free one at the first start. */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port, ConfigKeys.CONTROLLER_PORT);
            return this;
        }

        /** Adds a listener that authenticates like Event Hubs (SASL PLAIN over TLS). */
        public Builder saslSslListener(SaslSslListener listener) {
            this.saslSsl = Optional.of(listener);
            return this;
        }

        /** A Kafka server setting ({@code log.retention.ms}, ...); overrides Pulse's single-node defaults. */
        public Builder brokerProperty(String key, String value) {
            extraProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** Longest time {@link EmbeddedKafkaBroker#start()} may take; default 60s. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, got " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        private static int checkPort(int port, String key) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("'" + key + "' must be a port from 0 to 65535, got " + port);
            }
            return port;
        }
    }
}
