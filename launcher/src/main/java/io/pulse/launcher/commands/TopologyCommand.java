package io.pulse.launcher.commands;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.describe.MermaidTopology;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.TopologyDescription;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse topology ...}: look at the Kafka Streams topology without running it. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Inspect Pulse's Kafka Streams topology (no broker needed).",
        subcommands = {TopologyCommand.Describe.class})
public final class TopologyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** How {@code describe} prints the topology. */
    public enum Format {
        /** Kafka's own {@code TopologyDescription}: sub-topologies, processors, topics and stores. */
        TEXT,
        /** A Mermaid flowchart, for Markdown (GitHub draws it). */
        MERMAID
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = {"Print the topology as the configuration builds it: every sub-topology, processor, topic and",
                    "state store, by name. Settings (grace, windows, ...) come from the usual configuration."})
    static final class Describe implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
                description = "text (Kafka's TopologyDescription, the default) or mermaid (a flowchart).")
        Format format;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PulseConfig config = options.load(Map.of());
            // The topology only needs serdes to exist, not a registry to talk to: an in-memory one will do.
            TopologySerdes serdes = new TopologySerdes(new SerdeFactory(new InMemorySchemaRegistryClient()));
            TopologyDescription description = PulseTopology.build(TopologySettings.from(config.engagement()), serdes).describe();
            PrintWriter out = spec.commandLine().getOut();
            out.print(format == Format.MERMAID ? MermaidTopology.render(description) : description.toString());
            out.flush();
            return 0;
        }
    }

    static final class FormatConverter extends EnumOption<Format> {
        FormatConverter() {
            super(Format.class);
        }
    }
}
