package io.pulse.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.launcher.CommandLineRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopologyCommandTest {
    private final CommandLineRun cli = new CommandLineRun();

    @Test
    void describePrintsAMermaidFlowchartNamingTheEventsTopicAndTheStores() {
        int exit = cli.run("topology", "describe", "--format", "mermaid");

        assertThat(exit).isZero();
        assertThat(cli.out())
                .startsWith("flowchart LR")
                .contains("[/\"" + TopicCatalogue.EVENTS.name() + "\"/]")
                .contains("[(\"" + StoreNames.WINDOWED_METRICS_TENANT_1M + "\")]")
                .contains("-.-");
    }

    @Test
    void describePrintsKafkasTopologyDescriptionByDefault() {
        int exit = cli.run("topology", "describe");

        assertThat(exit).isZero();
        assertThat(cli.out())
                .startsWith("Topologies:")
                .contains("Sub-topology: 0")
                .contains("Source: events-source (topics: [" + TopicCatalogue.EVENTS.name() + "])")
                .contains(StoreNames.WINDOWED_METRICS_TENANT_1M);
    }

    @Test
    void describeTakesTheFormatInAnyCase() {
        int exit = cli.run("topology", "describe", "--format", "MERMAID");

        assertThat(exit).isZero();
        assertThat(cli.out()).startsWith("flowchart LR");
    }

    @Test
    void anUnknownFormatIsAUsageErrorNamingTheChoices() {
        int exit = cli.run("topology", "describe", "--format", "svg");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(cli.err()).contains("--format").contains("must be 'text' or 'mermaid', got 'svg'");
    }

    @Test
    void helpListsTheTopologyCommand() {
        int exit = cli.run("--help");

        assertThat(exit).isZero();
        assertThat(cli.out()).contains("topology");
    }
}
