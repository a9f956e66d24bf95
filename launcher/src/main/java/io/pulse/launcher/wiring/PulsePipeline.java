package io.pulse.launcher.wiring;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.api.auth.DevTokens;
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
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Pulse process: the selected {@link Component}s, one shared HTTP server ({@link PulseHttpServer}) and, when
 * {@code pulse.generator.events-per-second} is above zero, the synthetic generator. The demo and the tests run every
 * component in one JVM; {@code pulse serve --components ...} runs a chosen few. Closing stops the generator, then
 * the components in the reverse order of their start (each stops what it started in reverse), then the server.
 */
public final class PulsePipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PulsePipeline.class);

    private final ShutdownStack started = new ShutdownStack();
    private final SerdeFactory serdes;
    private final List<PipelineComponent> components = new ArrayList<>();
    /** Pulse's metrics, scraped by Prometheus at GET /metrics. */
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private PulseHttpServer server;
    private InsightsComponent insights;
    private IngestComponent ingest;
    private GeneratorSource generator;
    private long seed;

    private PulsePipeline(SerdeFactory serdes) {
        this.serdes = serdes;
        // The process's own health beside Pulse's metrics: heap, threads, CPU, uptime.
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
    }

    /**
     * Starts every component (the demo's and the tests' process); if one fails, stops those already started and rethrows.
     *
     * @param clients     how to reach Kafka
     * @param registryUrl the Confluent-compatible schema registry
     */
    public static PulsePipeline start(PulseConfig config, KafkaClientSettings clients, URI registryUrl) {
        return start(config, clients, registryUrl, EnumSet.allOf(Component.class));
    }

    /**
     * Starts the given components behind one HTTP server on {@code pulse.api.port}; if one fails, stops those already
     * started and rethrows. The generator runs when its configured rate is above zero, whatever the components.
     */
    public static PulsePipeline start(PulseConfig config, KafkaClientSettings clients, URI registryUrl, Set<Component> selected) {
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no component selected; valid components: " + Component.validIds());
        }
        PulsePipeline pipeline = new PulsePipeline(registrySerdes(registryUrl));
        try {
            pipeline.startComponents(config, clients, EnumSet.copyOf(selected));
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /** The serdes of a Pulse process, through the Confluent-compatible schema registry at {@code registryUrl}. */
    public static SerdeFactory registrySerdes(URI registryUrl) {
        return new SerdeFactory(new CachingSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl)));
    }

    private void startComponents(PulseConfig config, KafkaClientSettings clients, EnumSet<Component> selected) {
        Clock clock = Clock.systemUTC();
        // The server stops last: each component first ends what holds its connections open (the live stream clients).
        started.push(() -> {
            if (server != null) {
                server.close();
            }
        });
        // Iterated in enum order: insights (whose guards must come first on the server), ingest, lake sink.
        for (Component c : selected) {
            PipelineComponent component = switch (c) {
                case INSIGHTS -> insights = new InsightsComponent(config, clients, serdes, meters, clock);
                case INGEST -> ingest = new IngestComponent(config, clients, serdes, meters, clock);
                case LAKE_SINK -> new LakeSinkComponent(config, clients, serdes);
            };
            components.add(started.push(component));
        }
        server = PulseHttpServer.start(config.apiPort(), components, meters);
        for (PipelineComponent component : components) {
            component.start(server.port());
        }
        startGenerator(config, clients, clock);
        printDevTokens();
    }

    private void startGenerator(PulseConfig config, KafkaClientSettings clients, Clock clock) {
        PulseConfig.Generator g = config.generator();
        if (g.eventsPerSecond() <= 0) {
            return;
        }
        seed = g.seed().orElseGet(() -> System.nanoTime() & 0xffffff);
        EventPublisher publisher = started.push(new EventPublisher(clients, serdes.forValue(TopicCatalogue.EVENTS).serializer(), "pulse-generator"));
        TrafficMix traffic = new TrafficMix(new RetailTrafficGenerator(g.tenants(), seed),
                new TrafficMix.Rates(g.duplicateRate(), g.lateRate(), g.malformedRate()),
                config.engagement().windowGrace().multipliedBy(4).plusMinutes(5), seed);
        generator = new GeneratorSource(traffic, publisher, g.eventsPerSecond(), clock);
        Thread t = new Thread(generator, "pulse-generator");
        t.setDaemon(true);
        t.start();
        started.push(generator);
    }

    /** In dev auth mode: each tenant's dashboard URL with its token, and the admin token (valid 12 hours, this run only). */
    private void printDevTokens() {
        devTokens().ifPresent(devTokens -> {
            log.info("API dev tokens (dev auth mode; valid until {}, for this run only). Dashboards:", devTokens.expiresAt());
            devTokens.tenantTokens().keySet().forEach(tenant -> log.info("  {}  {}", tenant, devTokens.dashboardUrl(tenant)));
            log.info("  admin token (every tenant): Authorization: Bearer {}", devTokens.adminToken());
        });
    }

    /** The components this process runs, in start order. */
    public Set<Component> components() {
        EnumSet<Component> kinds = EnumSet.noneOf(Component.class);
        components.forEach(c -> kinds.add(c.kind()));
        return kinds;
    }

    /** Why a component stopped working on its own, if one did: the process should then stop and exit with a failure. */
    public Optional<String> failure() {
        for (PipelineComponent c : components) {
            Optional<String> failure = c.failure();
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    /** The {@code host:port} other instances use for this one's interactive queries, when it runs the insights. */
    public Optional<String> advertisedEndpoint() {
        return Optional.ofNullable(insights).map(InsightsComponent::advertisedEndpoint);
    }

    /** The source key the local profile generated for HTTP ingest and the send page, when it made one. */
    public Optional<String> demoSourceKey() {
        return Optional.ofNullable(ingest).flatMap(IngestComponent::demoSourceKey);
    }

    /** The admin key the local profile generated for /admin/v1/sources, when it made one. */
    public Optional<String> demoAdminKey() {
        return Optional.ofNullable(ingest).flatMap(IngestComponent::demoAdminKey);
    }

    /** The API's development tokens (per tenant and admin) when the insights API runs in dev auth mode. */
    public Optional<DevTokens> devTokens() {
        return Optional.ofNullable(insights).flatMap(InsightsComponent::devTokens);
    }

    public int apiPort() {
        return server.port();
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

    /**
     * Stops this instance the way a crash looks to the other instances, for failover tests and drills: the API stops
     * answering at once, and Kafka Streams stops without leaving its group, so the others learn of it only when its
     * session times out and then take over its tasks; until then they answer its tenants from their standby copies.
     * Everything else then stops as in {@link #close()}. Unlike a real crash, Kafka Streams still commits and writes
     * its checkpoints on the way out.
     */
    public void haltAsIfCrashed() {
        if (server != null) {
            server.close();
        }
        if (insights != null) {
            insights.haltStreamsAsIfCrashed();
        }
        close();
    }

    @Override
    public void close() {
        started.close();
    }
}
