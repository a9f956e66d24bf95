package io.pulse.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.launcher.PulseCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopologyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = PulseCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void describePrintsAMermaidFlowchartNamingTheEventsTopicAndTheStores() {
        int exit = run("topology", "describe", "--format", "mermaid");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .startsWith("flowchart LR")
                .contains("[/\"" + TopicCatalogue.EVENTS.name() + "\"/]")
                .contains("[(\"" + StoreNames.WINDOWED_METRICS_TENANT_1M + "\")]")
                .contains("-.-");
    }

    @Test
    void describePrintsKafkasTopologyDescriptionByDefault() {
        int exit = run("topology", "describe");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .startsWith("Topologies:")
                .contains("Sub-topology: 0")
                .contains("Source: events-source (topics: [" + TopicCatalogue.EVENTS.name() + "])")
                .contains(StoreNames.WINDOWED_METRICS_TENANT_1M);
    }

    @Test
    void describeTakesTheFormatInAnyCase() {
        int exit = run("topology", "describe", "--format", "MERMAID");

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("flowchart LR");
    }

    @Test
    void anUnknownFormatIsAUsageErrorNamingTheChoices() {
        int exit = run("topology", "describe", "--format", "svg");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--format").contains("must be 'text' or 'mermaid', got 'svg'");
    }

    @Test
    void helpListsTheTopologyCommand() {
        int exit = run("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("topology");
    }
}
