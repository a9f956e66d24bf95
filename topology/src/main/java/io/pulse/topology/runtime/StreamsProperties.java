package io.pulse.topology.runtime;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.topics.TopicCatalogue;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/** Kafka Streams configuration derived from Pulse's typed configuration and the profile's client settings. */
public final class StreamsProperties {
    /**
     * Changelog records a copy of a store may lag and still take over as active without warming up first: about a
     * second of restoration, so a failover or scale-out never makes a task wait long, nor the API answer stale long.
     */
    static final long ACCEPTABLE_RECOVERY_LAG = 10_000L;

    private StreamsProperties() {
    }

    /**
     * How errors flow: records that cannot be read, processed or written go to the dead-letter topic
     * with headers (Kafka's built-in handlers and DLQ for the first two, Pulse's for production) and
     * processing goes on. Shared with the stage test kit, so tests see the same behaviour.
     */
    public static Properties errorHandling() {
        Properties p = new Properties();
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, TopicCatalogue.DEAD_LETTERS.name());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        return p;
    }

    /**
     * @param applicationServer this instance's {@code host:port} for interactive-query routing, or null
     */
    public static Properties of(PulseConfig config, KafkaClientSettings clients, String applicationServer) {
        Properties p = new Properties();
        p.putAll(clients.common());
        PulseConfig.Streams s = config.streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, s.guarantee().streamsValue());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.threads());
        p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toString());
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.putAll(errorHandling());
        if (applicationServer != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        // Standbys keep a copy of each store warm on other instances: the API answers from them (saying how stale)
        // while the active copy is unreachable or restoring, and a failover restores only their small lag.
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, s.standbyReplicas());
        // A copy at most this many changelog records behind counts as caught up: it may take over as active at
        // once; a copy further behind warms up first and the active stays where it is until the copy catches up.
        p.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, ACCEPTABLE_RECOVERY_LAG);
        // All RocksDB stores of the JVM share one block cache and one write-buffer manager, sized here.
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        p.put(BoundedRocksDbConfig.CACHE_BYTES_CONFIG, config.engagement().rocksDbCacheBytes());
        p.put(BoundedRocksDbConfig.WRITE_BUFFER_BYTES_CONFIG, config.engagement().rocksDbWriteBufferBytes());
        // Every producer of the application writes durably.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        if (clients.isEventHubs()) {
            p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), KafkaClientSettings.EVENTHUBS_MAX_REQUEST_SIZE);
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 30_000);
        }
        return p;
    }
}
