package io.pulse.embedded.registry;

import com.sun.net.httpserver.HttpServer;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.registry.CompatibilityLevel;
import io.pulse.common.registry.RegistryState;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry for the embedded default and for tests: the REST subset Pulse
 * uses (subjects, versions, schemas by id, compatibility, global config) on the loopback interface,
 * with its schemas in the compacted Kafka topic {@code TopicCatalogue.SCHEMAS}. Every change is
 * acknowledged by the broker before it is answered, and {@link #start()} rebuilds the state from the
 * topic, so ids and versions survive restarts. One instance per storage topic.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.create(settings.common(), 8081).start()) {
 *     SchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    /** Bound of each storage operation (topic creation, replay, one write). */
    public static final Duration DEFAULT_STORAGE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final int HTTP_THREADS = 4;

    private final Map<String, Object> kafkaClientProperties;
    private final int requestedPort;
    private final Duration storageTimeout;
    private SchemaLog schemaLog;
    private HttpServer server;
    private ExecutorService executor;

    private EmbeddedSchemaRegistry(Map<String, Object> kafkaClientProperties, int port, Duration storageTimeout) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("'" + ConfigKeys.REGISTRY_PORT + "' must be a port between 0 (any free one) and 65535, got " + port);
        }
        if (storageTimeout == null || storageTimeout.isNegative() || storageTimeout.isZero()) {
            throw new IllegalArgumentException("schema registry storage timeout must be a positive duration, got '" + storageTimeout + "'");
        }
        this.kafkaClientProperties = Map.copyOf(Objects.requireNonNull(kafkaClientProperties, "kafkaClientProperties"));
        this.requestedPort = port;
        this.storageTimeout = storageTimeout;
    }

    /**
     * An unstarted registry.
     *
     * @param kafkaClientProperties Kafka client properties, e.g. {@code KafkaClientSettings.common()}
     * @param port                  HTTP port on the loopback interface; 0 picks a free one
     */
    public static EmbeddedSchemaRegistry create(Map<String, Object> kafkaClientProperties, int port) {
        return new EmbeddedSchemaRegistry(kafkaClientProperties, port, DEFAULT_STORAGE_TIMEOUT);
    }

    /** As {@link #create(Map, int)}, with another bound on each storage operation. */
    public static EmbeddedSchemaRegistry create(Map<String, Object> kafkaClientProperties, int port, Duration storageTimeout) {
        return new EmbeddedSchemaRegistry(kafkaClientProperties, port, storageTimeout);
    }

    /**
     * Creates the storage topic if absent, reads it to its end, and starts serving HTTP.
     *
     * @throws EmbeddedRegistryException if the topic cannot be created or read, or the port is taken
     * @throws IllegalStateException     if already started
     */
    public synchronized EmbeddedSchemaRegistry start() {
        if (server != null) {
            throw new IllegalStateException("The schema registry is already started at " + url());
        }
        try {
            schemaLog = new SchemaLog(kafkaClientProperties, storageTimeout);
            schemaLog.ensureTopic();
            RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);
            int versions = schemaLog.replayInto(state);
            executor = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads());
            // Bound last and started at once: the JDK's HttpServer keeps the port of a server that never started.
            server = bind();
            server.createContext("/", new RegistryHttpHandler(state, schemaLog));
            server.setExecutor(executor);
            server.start();
            log.info("Schema registry serving {} with {} schema versions of {} subjects from topic {} (compatibility {})",
                    url(), versions, state.subjects().size(), schemaLog.topic(), state.compatibility());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public synchronized URI url() {
        if (server == null) {
            throw new IllegalStateException("The schema registry is not running: start() it first");
        }
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** The HTTP port it listens on (the chosen one when created with port 0). */
    public synchronized int port() {
        return url().getPort();
    }

    /** Stops serving and closes the storage clients; idempotent. Registrations already answered are in the topic. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(storageTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Schema registry HTTP threads still busy after {}; interrupting them", storageTimeout);
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        if (schemaLog != null) {
            schemaLog.close();
            schemaLog = null;
        }
    }

    private HttpServer bind() {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort);
        try {
            return HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new EmbeddedRegistryException("Schema registry port " + requestedPort + " is taken; set '"
                    + ConfigKeys.REGISTRY_PORT + "' to a free port (0 picks one)", e);
        } catch (IOException e) {
            throw new EmbeddedRegistryException("Could not open the schema registry's HTTP server on " + address + ": " + e, e);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "pulse-schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
