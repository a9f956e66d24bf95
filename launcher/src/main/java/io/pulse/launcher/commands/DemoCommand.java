package io.pulse.launcher.commands;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.config.Profile;
import io.pulse.common.config.ConfigException;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Everything on one machine: embedded broker and registry, generator, topology, lake sink, API. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start Pulse on one machine with embedded defaults: a Kafka broker (KRaft), the schema registry,",
                "the synthetic generator, the topology, the lake sink and the API. Ctrl-C stops it cleanly;",
                "a second start continues from the data directory."})
public final class DemoCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--port", paramLabel = "PORT", description = "API and dashboard port (default 7070).")
    Integer port;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_SECOND", description = "Synthetic events per second (default 40; 0 turns the generator off).")
    Double rate;

    @Option(names = "--seed", paramLabel = "SEED", description = "Generator seed (default: a new one each start, printed).")
    Long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> overrides = new HashMap<>();
        if (port != null) {
            overrides.put(ConfigKeys.API_PORT, port.toString());
        }
        if (rate != null) {
            overrides.put(ConfigKeys.GENERATOR_RATE, rate.toString());
        }
        if (seed != null) {
            overrides.put(ConfigKeys.GENERATOR_SEED, seed.toString());
        }
        PulseConfig config = options.load(overrides);
        if (config.profile() != Profile.LOCAL) {
            throw new ConfigException("'pulse demo' runs the local profile with embedded infrastructure; "
                    + ConfigKeys.PROFILE + " is '" + config.profile().id() + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting Pulse (data in " + config.dataDir() + ") ...");
        out.flush();

        EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.start(config);
        PulsePipeline pipeline;
        try {
            pipeline = PulsePipeline.start(config, infrastructure.clients(), infrastructure.registryUrl());
        } catch (RuntimeException e) {
            infrastructure.close();
            throw e;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping Pulse: generator, API, streams, lake sink (committing open files), registry, broker");
            try {
                pipeline.close();
                infrastructure.close();
                log.info("Pulse stopped cleanly");
            } finally {
                stopped.countDown();
            }
        }, "pulse-shutdown"));

        printUrls(out, config, infrastructure, pipeline);
        stopped.await();
        return 0;
    }

    private static void printUrls(PrintWriter out, PulseConfig config, EmbeddedInfrastructure infra, PulsePipeline pipeline) {
        String api = "http://localhost:" + pipeline.apiPort();
        String tenant = config.generator().tenants().get(0);
        out.println();
        out.println("Pulse is running.");
        pipeline.devTokens().ifPresentOrElse(tokens -> {
            tokens.tenantTokens().keySet().forEach(t -> out.printf("  Dashboard        %s%n", tokens.dashboardUrl(t)));
            out.printf("  Metrics API      curl -H 'Authorization: Bearer %s' %s/api/v1/tenants/%s/metrics%n", tokens.forTenant(tenant), api, tenant);
            out.printf("  Admin token      %s   (reads every tenant; dev tokens are for this run only)%n", tokens.adminToken());
        }, () -> out.printf("  Metrics API      %s/api/v1/tenants/%s/metrics   (bearer token of %s)%n", api, tenant,
                config.api().oidc().map(PulseConfig.Oidc::issuer).orElse("the configured issuer")));
        out.printf("  OpenAPI          %s/api/v1/openapi.json%n", api);
        out.printf("  Health           %s/health/ready%n", api);
        out.printf("  Send an event    %s/ingest/send%s%n", api, pipeline.demoSourceKey().map(k -> "   (source key " + k + ")").orElse(""));
        pipeline.demoAdminKey().ifPresent(k -> out.printf("  Sources (admin)  %s/admin/v1/sources   (X-Api-Key %s)%n", api, k));
        out.printf("  Schema registry  %s/subjects%n", infra.registryUrl().toString().replaceAll("/$", ""));
        out.printf("  Kafka            %s%n", infra.bootstrapServers());
        out.printf("  Lake             %s%n", config.lake().dir());
        out.printf("  Query the lake   ./pulse lake query --data-dir %s \"SELECT count(*) FROM events\"%n", config.dataDir());
        if (pipeline.generatorRunning()) {
            out.printf("  Generator        %s events/s for %s (seed %d; --seed to repeat)%n",
                    config.generator().eventsPerSecond(), String.join(", ", config.generator().tenants()), pipeline.generatorSeed());
        } else {
            out.println("  Generator        off");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
