package io.pulse.launcher.wiring;

import io.javalin.Javalin;
import io.pulse.api.InsightsApi;
import io.pulse.api.live.LiveEvents;
import io.pulse.api.live.LiveFeed;
import io.pulse.api.live.LiveHub;
import io.pulse.api.live.LiveStreamController;
import io.pulse.api.auth.ApiSecurity;
import io.pulse.api.auth.DevTokens;
import io.pulse.api.insights.RoutedInsightsQueries;
import io.pulse.api.query.WindowFinality;
import io.pulse.api.routing.RequestForwarder;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.registry.CachingSchemaRegistryClient;
import io.pulse.common.registry.RestSchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.common.config.Profile;
import io.pulse.ingest.blob.BlobDropConfig;
import io.pulse.ingest.blob.BlobDropSource;
import io.pulse.ingest.delivery.DeliverySettings;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.delivery.KafkaEventDelivery;
import io.pulse.ingest.http.HttpSource;
import io.pulse.ingest.http.IngestHttp;
import io.pulse.ingest.http.IngestHttpSettings;
import io.pulse.ingest.http.KeyHash;
import io.pulse.ingest.jdbc.JdbcPollingSource;
import io.pulse.ingest.jdbc.JdbcSources;
import io.pulse.ingest.source.IngestSources;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.pulse.ingest.generator.GeneratorSource;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.ingest.generator.TrafficMix;
import io.pulse.lake.LakeSink;
import io.pulse.lake.store.LakeStores;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.runtime.InsightsStreams;
import io.pulse.topology.runtime.StreamsProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
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
    /**
     * The API starts before Kafka Streams so that its real port can be the streams' application.server; until the
     * streams are attached, queries answer 503 with Retry-After and readiness is down.
     */
    private RoutedInsightsQueries queries;
    private InsightsStreams streams;
    private Javalin api;
    private GeneratorSource generator;
    private long seed;
    /** Pulse's metrics, scraped by Prometheus at GET /metrics. */
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private String demoSourceKey;
    private String demoAdminKey;
    /** The API's development tokens, in dev auth mode (the embedded default). */
    private DevTokens devTokens;

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
        PulsePipeline pipeline = new PulsePipeline(registrySerdes(registryUrl));
        try {
            pipeline.startComponents(config, clients);
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

    private void startComponents(PulseConfig config, KafkaClientSettings clients) {
        Clock clock = Clock.systemUTC();
        var topology = PulseTopology.build(TopologySettings.from(config.engagement()), new TopologySerdes(serdes));

        // The one delivery path of every source (outbox, retries, circuit, dead letters); closed after the sources.
        KafkaEventDelivery delivery = KafkaEventDelivery.create(clients, serdes, DeliverySettings.from(config), meters);
        started.push(delivery);
        IngestSources sources = new IngestSources();
        IngestHttpSettings ingest = ingestSettings(config);

        // Insights API and HTTP ingest share one port.
        List<HttpSource> httpSources = new ArrayList<>();
        // Bearer tokens on /api (dev tokens signed here in dev mode, the OIDC issuer's otherwise), limits, audit.
        ApiSecurity security = ApiSecurity.from(config.api(), config.generator().tenants(), clock);
        queries = new RoutedInsightsQueries(new WindowFinality(config.engagement().windowGrace(), config.engagement().hourlyWindowGrace()),
                RequestForwarder.withDefaultTimeouts(), clock);
        LiveHub live = new LiveHub();
        api = Javalin.create(cfg -> {
            InsightsApi.configureServer(cfg, security);
            InsightsApi.configure(cfg, queries, clock);
            InsightsApi.configureLive(cfg, live, LiveStreamController.DEFAULT_HEARTBEAT);
            httpSources.addAll(IngestHttp.configure(cfg, delivery, ingest, sources, clock));
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
        });
        api.start(config.apiPort());
        started.push(api::stop);
        started.push(live); // ends the stream clients before the server stops
        started.push(LiveFeed.start(clients, serdes, new LiveEvents(clock, "localhost:" + api.port()), live, "pulse-live-feed"));
        devTokens = security.devTokenIssuer().map(issuer -> issuer.issue(api.port())).orElse(null);
        httpSources.forEach(started::push);

        String applicationServer = "localhost:" + api.port();
        streams = new InsightsStreams(topology, StreamsProperties.of(config, clients, applicationServer));
        queries.attach(streams.kafkaStreams(), applicationServer);
        started.push(streams); // closed also when start() refuses a guarantee the broker cannot give
        streams.start();

        LakeSink sink = LakeSink.create(config.lake(), clients, serdes, LakeStores.open(config.lake()));
        Thread sinkThread = new Thread(sink, "pulse-lake-sink");
        sinkThread.start();
        started.push(sink);

        startConnectors(config, delivery, sources, clock);

        PulseConfig.Generator g = config.generator();
        if (g.eventsPerSecond() > 0) {
            seed = g.seed().orElseGet(() -> System.nanoTime() & 0xffffff);
            EventPublisher publisher = new EventPublisher(clients, serdes.forValue(TopicCatalogue.EVENTS).serializer(), "pulse-generator");
            started.push(publisher);
            TrafficMix traffic = new TrafficMix(new RetailTrafficGenerator(g.tenants(), seed),
                    new TrafficMix.Rates(g.duplicateRate(), g.lateRate(), g.malformedRate()),
                    config.engagement().windowGrace().multipliedBy(4).plusMinutes(5), seed);
            generator = new GeneratorSource(traffic, publisher, g.eventsPerSecond(), clock);
            Thread t = new Thread(generator, "pulse-generator");
            t.setDaemon(true);
            t.start();
            started.push(generator);
        }
        printDevTokens();
    }

    /** In dev auth mode: each tenant's dashboard URL with its token, and the admin token (valid 12 hours, this run only). */
    private void printDevTokens() {
        if (devTokens == null) {
            return;
        }
        log.info("API dev tokens (dev auth mode; valid until {}, for this run only). Dashboards:", devTokens.expiresAt());
        devTokens.tenantTokens().keySet().forEach(tenant -> log.info("  {}  {}", tenant, devTokens.dashboardUrl(tenant)));
        log.info("  admin token (every tenant): Authorization: Bearer {}", devTokens.adminToken());
    }

    /** JDBC pollers and Blob drops configured with pulse.ingest.jdbc.* / pulse.ingest.blob.* keys. */
    private void startConnectors(PulseConfig config, KafkaEventDelivery delivery, IngestSources sources, Clock clock) {
        Map<String, String> keys = config.connectorProperties();
        for (JdbcPollingSource jdbc : JdbcSources.create(keys, System.getenv(), config.dataDir(), delivery, delivery, clock)) {
            sources.register(jdbc);
            jdbc.start();
            started.push(jdbc);
        }
        if (BlobDropConfig.isConfigured(keys, System.getenv(), Map.of())) {
            BlobDropSource blob = BlobDropSource.create(BlobDropConfig.load(keys, System.getenv(), Map.of(), config.dataDir()),
                    delivery, delivery, clock);
            sources.register(blob);
            blob.start();
            started.push(blob);
        }
    }

    /**
     * HTTP ingest settings from pulse.ingest.http.* keys. With no source key configured, the local profile
     * makes one for the demo (printed at start-up, bound to the generator's tenants), and an admin key.
     */
    private IngestHttpSettings ingestSettings(PulseConfig config) {
        Map<String, String> keys = config.connectorProperties();
        if (config.profile() != Profile.LOCAL || keys.containsKey(IngestHttpSettings.SOURCE_KEYS)) {
            return IngestHttpSettings.fromProperties(keys);
        }
        demoSourceKey = randomKey();
        demoAdminKey = randomKey();
        Map<String, String> withDemoKeys = new HashMap<>(keys);
        withDemoKeys.put(IngestHttpSettings.SOURCE_KEYS, "demo:" + String.join("+", config.generator().tenants()) + ":"
                + KeyHash.of(demoSourceKey).hex());
        withDemoKeys.putIfAbsent(IngestHttpSettings.ADMIN_KEY_SHA256, KeyHash.of(demoAdminKey).hex());
        return IngestHttpSettings.fromProperties(withDemoKeys);
    }

    private static String randomKey() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The source key the demo generated for HTTP ingest and the send page, when it made one. */
    public Optional<String> demoSourceKey() {
        return Optional.ofNullable(demoSourceKey);
    }

    /** The admin key the demo generated for /admin/v1/sources, when it made one. */
    public Optional<String> demoAdminKey() {
        return Optional.ofNullable(demoAdminKey);
    }

    /** The API's development tokens (per tenant and admin) when the API runs in dev auth mode. */
    public Optional<DevTokens> devTokens() {
        return Optional.ofNullable(devTokens);
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

    /**
     * Stops this instance the way a crash looks to the other instances, for failover tests and drills: the API stops
     * answering at once, and Kafka Streams stops without leaving its group, so the others learn of it only when its
     * session times out and then take over its tasks; until then they answer its tenants from their standby copies.
     * Everything else then stops as in {@link #close()}. Unlike a real crash, Kafka Streams still commits and writes
     * its checkpoints on the way out.
     */
    public void haltAsIfCrashed() {
        if (api != null) {
            api.stop();
        }
        if (streams != null) {
            streams.kafkaStreams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                    .withTimeout(Duration.ofSeconds(60)));
        }
        close();
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
