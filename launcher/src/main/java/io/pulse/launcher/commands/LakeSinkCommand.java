package io.pulse.launcher.commands;

import io.pulse.common.config.ConfigException;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.KafkaConnectivityCheck;
import io.pulse.common.kafka.KafkaConnectivityException;
import io.pulse.launcher.wiring.PulsePipeline;
import io.pulse.lake.LakeSink;
import io.pulse.lake.store.LakeStores;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pulse lake sink}: the lake sink as its own process, without an HTTP server, against the
 * configured Kafka cluster, schema registry and lake store (local directory or ADLS Gen2). SIGTERM or Ctrl-C stops it cleanly: open
 * batches are committed to the lake, then their offsets.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Run the lake sink alone, as its own process, without an HTTP server. Deployments run",
                "'pulse serve --components lake-sink' instead, which adds /health and /metrics on pulse.api.port.",
                "",
                "Copies the events, metrics and alerts topics into the lake's datasets as Parquet, exactly once. Kafka, "
                        + "the schema registry and the lake store come from the configuration (pulse.kafka.*, "
                        + "pulse.schema-registry.url, pulse.lake.*); it starts no broker, so run it next to ./pulse demo "
                        + "or against Event Hubs.",
                "",
                "SIGTERM or Ctrl-C commits the open files, then their offsets, and stops."})
public final class LakeSinkCommand implements Callable<Integer> {
    /** Exit code when the sink cannot start or stops on a failure. */
    public static final int EXIT_SINK_FAILED = 1;
    /** How long the cluster has to answer at start-up before the command gives up. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(LakeSinkCommand.class);

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PulseConfig config = options.load(Map.of());
        KafkaClientSettings kafka = new KafkaClientSettings(config.kafka());
        try {
            KafkaConnectivityCheck.verify(kafka, CONNECT_TIMEOUT);
        } catch (KafkaConnectivityException e) {
            return fail("the lake sink cannot start: " + e.getMessage());
        }
        LakeSink sink;
        try {
            sink = LakeSink.create(config.lake(), kafka, PulsePipeline.registrySerdes(URI.create(config.schemaRegistryUrl())),
                    LakeStores.open(config.lake()));
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("The lake sink cannot start: {}", where(config.lake()), e);
            return EXIT_SINK_FAILED;
        }
        log.info("Lake sink writing the lake at {} (consumer group {}, Kafka {}, schema registry {})",
                where(config.lake()), LakeSink.GROUP_ID, kafka.bootstrapServers(), config.schemaRegistryUrl());

        AtomicBoolean failed = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (failed.get()) {
                return;
            }
            log.info("Stopping the lake sink: committing open batches, then their offsets");
            sink.close(); // returns once the consumer loop has committed and left the group
            log.info("Lake sink stopped cleanly");
        }, "pulse-lake-sink-shutdown"));

        try {
            sink.run(); // until the shutdown hook closes it, or a failure
            return 0;
        } catch (RuntimeException e) {
            failed.set(true); // the sink logged the failure and its cause where it happened
            return fail("the lake sink stopped on a failure (see the log above): " + e.getMessage());
        }
    }

    private int fail(String message) {
        spec.commandLine().getErr().println(spec.commandLine().getColorScheme().errorText(message));
        spec.commandLine().getErr().flush();
        return EXIT_SINK_FAILED;
    }

    /** Where the lake is, for log lines: the local directory or the ADLS Gen2 location. */
    static String where(PulseConfig.Lake lake) {
        return lake.adls()
                .map(a -> "ADLS Gen2 " + a.endpoint() + ", file system " + a.fileSystem()
                        + (a.directory().isEmpty() ? "" : ", directory " + a.directory()))
                .orElse(lake.dir().toString());
    }
}
