package io.pulse.launcher.commands;

import io.pulse.common.config.ConfigException;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.KafkaConnectivityCheck;
import io.pulse.common.kafka.KafkaConnectivityException;
import io.pulse.lake.LakeSink;
import io.pulse.launcher.wiring.Component;
import io.pulse.launcher.wiring.PulsePipeline;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse serve}: the production process. Runs the chosen components against the configured Kafka cluster and
 * schema registry (no embedded broker), behind one HTTP server on {@code pulse.api.port} with /health/live,
 * /health/ready and /metrics. SIGTERM stops it cleanly; a component that fails on its own stops it with exit code 1.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run Pulse's components against the configured Kafka cluster and schema",
                "registry: the production process (on AKS each component has its own workload).",
                "Starts no broker.",
                "",
                "Components:",
                "  insights   topology, /api/v1/**, /dashboard/{tenant}, live feed",
                "  ingest     /ingest/v1/events, /ingest/v1/eventgrid, JDBC and Blob connectors",
                "  lake-sink  topics into the Parquet lake",
                "Always serves GET /health/live, /health/ready (200 when every chosen",
                "component is ready) and /metrics on pulse.api.port. The synthetic generator",
                "runs only when pulse.generator.events-per-second is set explicitly.",
                "",
                "SIGTERM or Ctrl-C stops it cleanly. Exit codes: 2 bad configuration, 1 failure."})
public final class ServeCommand implements Callable<Integer> {
    /** Exit code when Pulse cannot start or a component stops on a failure. */
    public static final int EXIT_FAILED = 1;
    /** How long the cluster has to answer at start-up before the command gives up. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How often the main thread looks for a component that stopped on its own. */
    private static final Duration FAILURE_CHECK = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--components", paramLabel = "LIST", defaultValue = ComponentList.ALL, converter = ComponentList.Converter.class,
            description = "Comma-separated components to run: insights, ingest, lake-sink (default: ${DEFAULT-VALUE}).")
    ComponentList components;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PulseConfig config = options.load(generatorOverride());
        Set<Component> selected = components.components();
        String names = Component.ids(selected);
        KafkaClientSettings kafka = new KafkaClientSettings(config.kafka());
        try {
            KafkaConnectivityCheck.verify(kafka, CONNECT_TIMEOUT);
        } catch (KafkaConnectivityException e) {
            return fail("pulse serve (" + names + ") cannot start: " + e.getMessage());
        }
        PulsePipeline pipeline;
        try {
            pipeline = PulsePipeline.start(config, kafka, URI.create(config.schemaRegistryUrl()), selected);
        } catch (ConfigException e) {
            throw e; // exit 2, the message names the key
        } catch (RuntimeException e) {
            log.error("Pulse ({}) cannot start", names, e);
            return fail("pulse serve (" + names + ") cannot start: " + e.getMessage());
        }
        logStarted(config, kafka, pipeline);
        printDevAccess(pipeline);

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean failed = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (!failed.get()) {
                    log.info("Stopping Pulse ({})", names);
                    pipeline.close();
                    log.info("Pulse ({}) stopped cleanly", names);
                }
            } finally {
                stopped.countDown();
            }
        }, "pulse-shutdown"));

        while (!stopped.await(FAILURE_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
            Optional<String> failure = pipeline.failure();
            if (failure.isPresent()) {
                failed.set(true);
                log.error("Stopping Pulse ({}): {}", names, failure.get());
                pipeline.close();
                return fail(failure.get());
            }
        }
        return 0;
    }

    /** The generator is the demo's: serve runs it only when its rate is configured explicitly, not at the local profile's default. */
    Map<String, String> generatorOverride() {
        Map<String, String> overrides = new HashMap<>();
        if (!options.sets(ConfigKeys.GENERATOR_RATE)) {
            overrides.put(ConfigKeys.GENERATOR_RATE, "0");
        }
        return overrides;
    }

    private static void logStarted(PulseConfig config, KafkaClientSettings kafka, PulsePipeline pipeline) {
        Set<Component> running = pipeline.components();
        log.info("Pulse serving {} on port {} (Kafka {}, schema registry {}): /health/live, /health/ready, /metrics",
                Component.ids(running), pipeline.apiPort(), kafka.bootstrapServers(), config.schemaRegistryUrl());
        if (running.contains(Component.INSIGHTS)) {
            log.info("  insights: Kafka Streams application {}, advertised to the other instances as {}; /api/v1/**, /dashboard/{{tenant}}",
                    config.streams().applicationId(), pipeline.advertisedEndpoint().orElseThrow());
        }
        if (running.contains(Component.INGEST)) {
            log.info("  ingest: /ingest/v1/events, /ingest/v1/eventgrid; outbox {}", config.delivery().outboxDir());
        }
        if (running.contains(Component.LAKE_SINK)) {
            log.info("  lake sink: consumer group {}, lake {}", LakeSink.GROUP_ID, LakeSinkCommand.where(config.lake()));
        }
        if (pipeline.generatorRunning()) {
            log.info("  generator: {} events/s (seed {})", config.generator().eventsPerSecond(), pipeline.generatorSeed());
        }
    }

    /** In dev auth mode (local profile only) the dashboards with their tokens, and the keys the local profile made, as the demo prints them. */
    private void printDevAccess(PulsePipeline pipeline) {
        PrintWriter out = spec.commandLine().getOut();
        pipeline.devTokens().ifPresent(tokens -> {
            tokens.tenantTokens().keySet().forEach(t -> out.printf("  Dashboard        %s%n", tokens.dashboardUrl(t)));
            out.printf("  Admin token      %s   (reads every tenant; dev tokens are for this run only)%n", tokens.adminToken());
        });
        pipeline.demoSourceKey().ifPresent(k -> out.printf("  Ingest key       %s   (X-Api-Key for /ingest/v1/events)%n", k));
        pipeline.demoAdminKey().ifPresent(k -> out.printf("  Admin key        %s   (X-Api-Key for /admin/v1/sources)%n", k));
        out.flush();
    }

    private int fail(String message) {
        spec.commandLine().getErr().println(spec.commandLine().getColorScheme().errorText(message));
        spec.commandLine().getErr().flush();
        return EXIT_FAILED;
    }
}
