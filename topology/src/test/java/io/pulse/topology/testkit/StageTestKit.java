package io.pulse.topology.testkit;

import io.pulse.avro.Customer;
import io.pulse.avro.Envelope;
import io.pulse.avro.Store;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.testing.Envelopes;
import io.pulse.common.topics.EventKeys;
import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.runtime.StreamsProperties;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BiFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
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
    private final Path stateDir = TempDirs.newStateDir();

    public StageTestKit(TopologySettings settings) {
        this(settings, PulseTopology::build);
    }

    /**
     * A part of the topology instead of the whole, e.g. the spine with a probe sink (see the spine's
     * tests); the function gets the kit's serdes, so the kit's topics read what it writes.
     */
    public StageTestKit(TopologySettings settings, BiFunction<TopologySettings, TopologySerdes, Topology> topology) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "stage-test:9092");
        // A state directory of its own (persistent stores, e.g. global tables, lock theirs): test JVMs
        // running side by side never share one; the driver deletes it on close.
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // No record cache: every update is visible at once, so tests see each provisional value.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putAll(StreamsProperties.errorHandling());
        TopologySerdes topologySerdes = new TopologySerdes(serdes);
        driver = new TopologyTestDriver(topology.apply(settings, topologySerdes), props);
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

    /**
     * Pipes customers to their compacted topic, keyed {@code tenant/customer}. Stamped at the start of
     * {@link Envelopes#DAY}, so reference data never moves stream time past the test's events.
     */
    public void sendCustomers(Customer... customers) {
        TestInputTopic<String, Customer> in = input(TopicCatalogue.CUSTOMERS);
        for (Customer c : customers) {
            in.pipeInput(TenantKeys.of(c.getTenant(), c.getCustomerId()), c, Envelopes.at("00:00:00"));
        }
    }

    /** Pipes stores to their compacted topic (a global table), keyed {@code tenant/store}. */
    public void sendStores(Store... stores) {
        TestInputTopic<String, Store> in = input(TopicCatalogue.STORES);
        for (Store s : stores) {
            in.pipeInput(TenantKeys.of(s.getTenant(), s.getStoreId()), s, Envelopes.at("00:00:00"));
        }
    }

    /**
     * Pipes metrics records straight to the metrics topic, for stages that read it (alerts), keyed as the
     * metrics stage keys them ({@code tenant/store|*&#47;channel|*&#47;size/start}) and stamped with their window end.
     */
    public void sendMetrics(WindowedMetrics... metrics) {
        TestInputTopic<String, WindowedMetrics> in = input(TopicCatalogue.METRICS);
        for (WindowedMetrics m : metrics) {
            String key = TenantKeys.of(m.getTenant(), m.getStoreId() == null ? "*" : m.getStoreId(),
                    m.getChannel() == null ? "*" : m.getChannel(), m.getWindowSize(), m.getWindowStart().toString());
            in.pipeInput(key, m, m.getWindowEnd());
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

    /** A key-value store of the topology, to read with {@code get}, {@code all}, ... */
    public <V> KeyValueStore<String, V> keyValueStore(String storeName) {
        return driver.getKeyValueStore(storeName);
    }

    /** Every session of one key of a session store, oldest first. */
    public <V> List<KeyValue<Windowed<String>, V>> sessions(String storeName, String key) {
        SessionStore<String, V> store = driver.getSessionStore(storeName);
        List<KeyValue<Windowed<String>, V>> result = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, V> it = store.fetch(key)) {
            it.forEachRemaining(result::add);
        }
        return result;
    }

    @Override
    public void close() {
        driver.close();
        TempDirs.delete(stateDir);
    }
}
