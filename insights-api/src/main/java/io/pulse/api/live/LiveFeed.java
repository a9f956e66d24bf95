package io.pulse.api.live;

import io.pulse.avro.Alert;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what happens now on {@code pulse.metrics.v1} and {@code pulse.alerts.v1} and publishes it to
 * the {@link LiveHub}. One per instance, in no consumer group: it is assigned every partition of both
 * topics (each instance's clients see every tenant's events, whichever instance computed them),
 * starts at the end, reads only committed transactions and commits nothing. A record that cannot be
 * read is logged with its coordinates and skipped.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<WindowedMetrics> metrics;
    private final Deserializer<Alert> alerts;
    private final LiveEvents events;
    private final LiveHub hub;
    private final Thread thread;
    private volatile boolean running = true;

    private LiveFeed(KafkaClientSettings clients, SerdeFactory serdes, LiveEvents events, LiveHub hub, String clientId) {
        Map<String, Object> p = clients.common();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.metrics = serdes.forValue(TopicCatalogue.METRICS).deserializer();
        this.alerts = serdes.forValue(TopicCatalogue.ALERTS).deserializer();
        this.events = events;
        this.hub = hub;
        this.thread = new Thread(this::run, "pulse-live-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Starts the feed on its own thread and returns once it is positioned at the end of every
     * partition, so that whatever is produced afterwards reaches the hub.
     *
     * @throws IllegalStateException when a topic is not provisioned or the broker does not answer in time
     */
    public static LiveFeed start(KafkaClientSettings clients, SerdeFactory serdes, LiveEvents events, LiveHub hub,
                                 String clientId) {
        LiveFeed feed = new LiveFeed(clients, serdes, events, hub, clientId);
        feed.assignAtEnd();
        feed.thread.start();
        return feed;
    }

    private void assignAtEnd() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<String, ?> topic : List.<Topic<String, ?>>of(TopicCatalogue.METRICS, TopicCatalogue.ALERTS)) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), METADATA_TIMEOUT);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("the live feed cannot read topic " + topic.name()
                            + ": it does not exist; provision the topics first");
                }
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(tp -> consumer.position(tp, METADATA_TIMEOUT)); // resolve now: "the end" is now
            log.info("Live feed reading {} partitions of {} and {} from their end", partitions.size(),
                    TopicCatalogue.METRICS.name(), TopicCatalogue.ALERTS.name());
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    publish(r);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("Live feed stopped: stream clients get heartbeats but no new events until a restart", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void publish(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        long lag = consumer.currentLag(new TopicPartition(r.topic(), r.partition())).orElse(0);
        try {
            if (r.topic().equals(TopicCatalogue.METRICS.name())) {
                WindowedMetrics m = metrics.deserialize(r.topic(), r.headers(), r.value());
                hub.publish(events.metrics(m, Instant.ofEpochMilli(r.timestamp()), lag));
            } else {
                hub.publish(events.alert(r.key(), alerts.deserialize(r.topic(), r.headers(), r.value()), lag));
            }
        } catch (RuntimeException e) {
            log.warn("Live feed skipped the record at {}-{} offset {}: {}", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    /** Stops reading and closes the consumer; waits a few seconds for the thread. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
