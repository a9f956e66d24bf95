package io.pulse.launcher.wiring;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.pulse.api.InsightsApi;
import io.pulse.api.auth.ApiSecurity;
import io.pulse.api.auth.DevTokens;
import io.pulse.api.insights.RoutedInsightsQueries;
import io.pulse.api.live.LiveEvents;
import io.pulse.api.live.LiveFeed;
import io.pulse.api.live.LiveHub;
import io.pulse.api.live.LiveStreamController;
import io.pulse.api.query.Readiness;
import io.pulse.api.query.WindowFinality;
import io.pulse.api.routing.RequestForwarder;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.runtime.InsightsStreams;
import io.pulse.topology.runtime.StreamsProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Insights: the topology on Kafka Streams, the insights API with its guards (bearer tokens, limits, audit), the
 * dashboard and the live feed. The API's routes exist before Kafka Streams starts, so that the server's real port
 * can be part of this instance's advertised endpoint; until the streams are attached, queries answer 503 with
 * Retry-After. Ready as the API's own readiness says: Kafka Streams RUNNING, or REBALANCING while holding tasks.
 */
final class InsightsComponent implements PipelineComponent {
    private final PulseConfig config;
    private final KafkaClientSettings clients;
    private final SerdeFactory serdes;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ShutdownStack started = new ShutdownStack();
    private final Topology topology;
    private final ApiSecurity security;
    private final RoutedInsightsQueries queries;
    private final LiveHub live = new LiveHub();
    private InsightsStreams streams;
    private DevTokens devTokens;
    private String advertisedEndpoint;
    private volatile boolean closing;

    InsightsComponent(PulseConfig config, KafkaClientSettings clients, SerdeFactory serdes, MeterRegistry meters, Clock clock) {
        this.config = config;
        this.meters = meters;
        this.clients = clients;
        this.serdes = serdes;
        this.clock = clock;
        this.topology = PulseTopology.build(TopologySettings.from(config.engagement()), new TopologySerdes(serdes));
        // Bearer tokens on /api: dev tokens signed here in dev mode (local profile only), the OIDC issuer's otherwise.
        this.security = ApiSecurity.from(config.api(), config.generator().tenants(), clock);
        this.queries = new RoutedInsightsQueries(new WindowFinality(config.engagement().windowGrace(),
                config.engagement().hourlyWindowGrace()), RequestForwarder.withDefaultTimeouts(), clock);
    }

    @Override
    public Component kind() {
        return Component.INSIGHTS;
    }

    /** The API's guards first (they must run before every other before-handler), then its routes. */
    @Override
    public void configure(JavalinConfig cfg) {
        security.register(cfg);
        InsightsApi.configureQueries(cfg, queries, clock);
        InsightsApi.configureLive(cfg, live, LiveStreamController.DEFAULT_HEARTBEAT);
    }

    @Override
    public void start(int boundPort) {
        advertisedEndpoint = config.advertisedEndpoint(boundPort);
        started.push(live); // ends the stream clients before the server stops
        started.push(LiveFeed.start(clients, serdes, new LiveEvents(clock, advertisedEndpoint), live, "pulse-live-feed"));
        devTokens = security.devTokenIssuer().map(issuer -> issuer.issue(boundPort)).orElse(null);

        streams = new InsightsStreams(topology, StreamsProperties.of(config, clients, advertisedEndpoint));
        queries.attach(streams.kafkaStreams(), advertisedEndpoint);
        started.push(streams); // closed also when start() refuses a guarantee the broker cannot give
        // Kafka Streams' own metrics (kafka_stream_*: lag, process rate, state) beside Pulse's on GET /metrics.
        KafkaStreamsMetrics streamsMetrics = started.push(new KafkaStreamsMetrics(streams.kafkaStreams()));
        streamsMetrics.bindTo(meters);
        streams.start();
    }

    @Override
    public ComponentReadiness readiness() {
        Readiness r = queries.readiness();
        return new ComponentReadiness(r.ready() && !closing, r.streamsState());
    }

    @Override
    public Optional<String> failure() {
        InsightsStreams s = streams;
        if (s == null || closing) {
            return Optional.empty();
        }
        KafkaStreams.State state = s.state();
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                ? Optional.of("Kafka Streams is in state " + state + " (its stream threads failed; see the log above)")
                : Optional.empty();
    }

    /** The API's development tokens, in dev auth mode, once the server listens. */
    Optional<DevTokens> devTokens() {
        return Optional.ofNullable(devTokens);
    }

    /** The {@code host:port} given to Kafka Streams and the query router, once started. */
    String advertisedEndpoint() {
        return advertisedEndpoint;
    }

    /** Stops Kafka Streams without leaving its group, as a crash would look to the other instances (see PulsePipeline). */
    void haltStreamsAsIfCrashed() {
        if (streams != null) {
            streams.kafkaStreams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                    .withTimeout(Duration.ofSeconds(60)));
        }
    }

    @Override
    public void close() {
        closing = true;
        started.close();
    }

    @Override
    public String toString() {
        return "insights";
    }
}
