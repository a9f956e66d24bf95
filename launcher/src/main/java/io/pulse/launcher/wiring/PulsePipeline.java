package io.pulse.launcher.wiring;

import io.javalin.Javalin;
import io.pulse.api.InsightsApi;
import io.pulse.api.query.StreamsMetricsQueries;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.registry.CachingSchemaRegistryClient;
import io.pulse.common.registry.RestSchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.GeneratorSource;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.ingest.generator.TrafficMix;
import io.pulse.lake.LakeSink;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.runtime.InsightsStreams;
import io.pulse.topology.runtime.StreamsProperties;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulse's processes wired together in one JVM: the topology, the lake sink, the insights API and
 * (when its rate is above zero) the synthetic generator. Closing stops them in the reverse order of
 * their start, so producers stop before the consumers that drain them.
 */
public final class PulsePipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PulsePipeline.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final SerdeFactory serdes;
    /** The API starts before Kafka Streams so that its real port can be the streams' application.server. */
    private final DeferredMetricsQueries queries = new DeferredMetricsQueries();
    private InsightsStreams streams;
    private Javalin api;
    private GeneratorSource generator;
    private long seed;

    private PulsePipeline(SerdeFactory serdes) {
        this.serdes = serdes;
    }

    /**
     * Starts every component; if one fails, stops those already started and rethrows.
     *
     * @param clients     how to reach Kafka
     * @param registryUrl the Confluent-compatible schema registry
     */
    public static PulsePipeline start(PulseConfig config, KafkaClientSettings clients, URI registryUrl) {
        SerdeFactory serdes = new SerdeFactory(new CachingSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl)));
        PulsePipeline pipeline = new PulsePipeline(serdes);
        try {
            pipeline.startComponents(config, clients);
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    private void startComponents(PulseConfig config, KafkaClientSettings clients) {
        var topology = PulseTopology.build(TopologySettings.from(config.engagement()), new TopologySerdes(serdes));

        api = InsightsApi.create(queries, Clock.systemUTC());
        api.start(config.apiPort());
        started.push(api::stop);

        streams = new InsightsStreams(topology, StreamsProperties.of(config, clients, "localhost:" + api.port()));
        queries.attach(new StreamsMetricsQueries(streams.kafkaStreams()));
        started.push(streams); // closed also when start() refuses a guarantee the broker cannot give
        streams.start();

        LakeSink sink = LakeSink.create(config.lake(), clients, serdes.forValue(TopicCatalogue.EVENTS).deserializer());
        Thread sinkThread = new Thread(sink, "pulse-lake-sink");
        sinkThread.start();
        started.push(sink);

        PulseConfig.Generator g = config.generator();
        if (g.eventsPerSecond() > 0) {
            seed = g.seed().orElseGet(() -> System.nanoTime() & 0xffffff);
            EventPublisher publisher = new EventPublisher(clients, serdes.forValue(TopicCatalogue.EVENTS).serializer(), "pulse-generator");
            started.push(publisher);
            TrafficMix traffic = new TrafficMix(new RetailTrafficGenerator(g.tenants(), seed),
                    new TrafficMix.Rates(g.duplicateRate(), g.lateRate(), g.malformedRate()),
                    config.engagement().windowGrace().multipliedBy(4).plusMinutes(5), seed);
            generator = new GeneratorSource(traffic, publisher, g.eventsPerSecond(), Clock.systemUTC());
            Thread t = new Thread(generator, "pulse-generator");
            t.setDaemon(true);
            t.start();
            started.push(generator);
        }
    }

    public int apiPort() {
        return api.port();
    }

    public SerdeFactory serdes() {
        return serdes;
    }

    /** The generator's seed, when it runs. */
    public long generatorSeed() {
        return seed;
    }

    public boolean generatorRunning() {
        return generator != null;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.error("Error while stopping {}; continuing with the rest", c, e);
            }
        }
    }
}
