package io.pulse.launcher.commands;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.launcher.topics.EventHubsBicep;
import io.pulse.launcher.topics.PulseTopicPlan;
import io.pulse.launcher.topics.TopicCreator;
import io.pulse.launcher.topics.TopicPlanText;
import io.pulse.topology.describe.TopicPlan;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse topics}: every topic Pulse needs (the catalogue's and Kafka Streams' changelog and repartition topics,
 * derived from the topology the configuration builds) and its consumer groups; {@code pulse topics create} provisions them.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Print every topic Pulse needs and the consumer groups that read them, derived from the code: "
                + "the topic catalogue plus Kafka Streams' changelog and repartition topics (named after the application id).",
                "Settings come from the usual configuration, so names and retention match the deployment."},
        subcommands = {TopicsCommand.Create.class})
public final class TopicsCommand implements Callable<Integer> {
    /** How the plan is printed. */
    public enum Format {
        /** Columns for people, with the Event Hubs budget. */
        TABLE,
        /** The whole plan (every config) for tools. */
        JSON,
        /** The Bicep module that provisions the plan on Event Hubs (deploy/bicep/modules/eventhubs-topics.bicep). */
        BICEP
    }

    @Mixin
    ConfigOptions options;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", converter = FormatConverter.class,
            description = "table (the default), json, or bicep (the Event Hubs module; leaves out the embedded registry's topic).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PulseConfig config = options.load(Map.of());
        PrintWriter out = spec.commandLine().getOut();
        try {
            out.print(switch (format) {
                case TABLE -> TopicPlanText.table(PulseTopicPlan.of(config));
                case JSON -> TopicPlanText.json(PulseTopicPlan.of(config));
                case BICEP -> EventHubsBicep.render(PulseTopicPlan.forEventHubs(config));
            });
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(spec.commandLine().getColorScheme().errorText(e.getMessage()));
            return 1;
        }
        out.flush();
        return 0;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create every missing topic of the plan on the configured Kafka cluster, with the plan's partitions "
                    + "and configs; check the existing ones (partitions, cleanup.policy). Exits 1 and names each topic that "
                    + "differs from the plan.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--dry-run", description = "Only say what would be created and check what exists.")
        boolean dryRun;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT60S",
                description = "How long to wait for the cluster's answers (ISO-8601, default PT60S).")
        Duration timeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PulseConfig config = options.load(Map.of());
            TopicPlan plan = PulseTopicPlan.of(config);
            PrintWriter out = spec.commandLine().getOut();
            TopicCreator.Outcome outcome;
            Admin admin = Admin.create(new KafkaClientSettings(config.kafka()).admin("pulse-topics"));
            boolean answered = false;
            try {
                outcome = new TopicCreator(admin, timeout).apply(plan, dryRun);
                answered = true;
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println(spec.commandLine().getColorScheme().errorText(
                        e.getMessage() + " (cluster " + config.kafka().bootstrapServers() + ")"));
                return 1;
            } finally {
                // After a failure, abandon the calls still waiting for a cluster that does not answer.
                admin.close(answered ? timeout : Duration.ZERO);
            }
            String verb = dryRun ? "would create " : "created ";
            outcome.created().forEach(n -> out.println(verb + n));
            outcome.unchanged().forEach(n -> out.println("exists  " + n));
            outcome.mismatches().forEach(m -> spec.commandLine().getErr().println(
                    spec.commandLine().getColorScheme().errorText("MISMATCH " + m)));
            out.println(outcome.created().size() + (dryRun ? " to create, " : " created, ") + outcome.unchanged().size()
                    + " already as planned, " + outcome.mismatches().size() + " different from the plan");
            out.flush();
            return outcome.ok() ? 0 : 1;
        }
    }

    static final class FormatConverter extends EnumOption<Format> {
        FormatConverter() {
            super(Format.class);
        }
    }
}
