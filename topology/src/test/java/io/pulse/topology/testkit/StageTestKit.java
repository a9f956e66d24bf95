package io.pulse.topology.testkit;

import io.pulse.avro.Envelope;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.EventKeys;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Everything a stage test needs: Pulse's whole topology in a {@link TopologyTestDriver}, with the
 * project's serdes over an in-memory schema registry, typed input and output topics from the
 * catalogue, and store helpers. Close it after the test.
 */
public final class StageTestKit implements AutoCloseable {
    private final SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
    private final TopologyTestDriver driver;

    public StageTestKit(TopologySettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "stage-test:9092");
        // No record cache: every update is visible at once, so tests see each provisional value.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        TopologySerdes topologySerdes = new TopologySerdes(serdes);
        driver = new TopologyTestDriver(PulseTopology.build(settings, topologySerdes), props);
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    public <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), serdes.forKey(topic).serializer(), serdes.forValue(topic).serializer());
    }

    public <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), serdes.forKey(topic).deserializer(), serdes.forValue(topic).deserializer());
    }

    /** Pipes envelopes to the events topic, each with its own event time as the record timestamp. */
    public void send(Envelope... events) {
        TestInputTopic<String, Envelope> in = input(TopicCatalogue.EVENTS);
        for (Envelope e : events) {
            in.pipeInput(EventKeys.of(e), e, e.getEventTime());
        }
    }

    /** Everything on the metrics topic since the last call. */
    public List<WindowedMetrics> metrics() {
        return output(TopicCatalogue.METRICS).readValuesToList();
    }

    /** Window start → value for one key of a window store, over all time. */
    public <V> List<KeyValue<Instant, V>> windows(String storeName, String key) {
        WindowStore<String, V> store = driver.getWindowStore(storeName);
        List<KeyValue<Instant, V>> result = new ArrayList<>();
        try (WindowStoreIterator<V> it = store.fetch(key, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))) {
            it.forEachRemaining(kv -> result.add(KeyValue.pair(Instant.ofEpochMilli(kv.key), kv.value)));
        }
        return result;
    }

    @Override
    public void close() {
        driver.close();
    }
}
