package io.pulse.launcher.drills;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.launcher.wiring.PulsePipeline;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.runtime.InsightsStreams;
import io.pulse.topology.runtime.StreamsProperties;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Pulse's topology alone in its own JVM, built and configured exactly as {@link PulsePipeline} builds it (same
 * {@link PulseTopology}, {@link StreamsProperties} and {@link InsightsStreams}), for the drills that kill it. Arguments
 * are Pulse configuration keys, {@code key=value}; it runs until killed, and closes cleanly on SIGTERM.
 *
 * <p>A test-side main rather than a launcher command: the drills need nothing from the launcher but the topology's
 * wiring, and the product gains no command that exists only for tests.
 */
public final class StreamsChild {
    /** Logged once Kafka Streams has started; the drill waits for it in the child's log. */
    static final String STARTED = "streams child started";

    private StreamsChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> overrides = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            overrides.put(a.substring(0, eq), a.substring(eq + 1));
        }
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), overrides);
        KafkaClientSettings clients = new KafkaClientSettings(config.kafka());
        var serdes = PulsePipeline.registrySerdes(URI.create(config.schemaRegistryUrl()));
        var topology = PulseTopology.build(TopologySettings.from(config.engagement()), new TopologySerdes(serdes));
        Properties properties = StreamsProperties.of(config, clients, null);
        InsightsStreams streams = new InsightsStreams(topology, properties);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            System.out.println("streams child stopped cleanly");
            stopped.countDown();
        }));
        streams.start();
        System.out.println(STARTED + " (" + properties.get("processing.guarantee") + ")");
        stopped.await();
    }
}
