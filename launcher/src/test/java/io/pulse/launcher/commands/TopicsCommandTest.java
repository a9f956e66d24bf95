package io.pulse.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.LakeSink;
import io.pulse.launcher.PulseCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicsCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = PulseCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static List<String> names(JsonNode topics) {
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    @Test
    void jsonNamesInternalTopicsAfterTheConfiguredApplicationId() throws Exception {
        int exit = run("topics", "--format", "json", "--set", "pulse.streams.application-id=pulse-blue");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode plan = new ObjectMapper().readTree(out.toString());
        assertThat(plan.get("applicationId").asText()).isEqualTo("pulse-blue");
        assertThat(names(plan.get("topics")))
                .contains(TopicCatalogue.EVENTS.name(), "pulse-blue-" + StoreNames.CUSTOMER_PROFILES + "-changelog")
                .filteredOn(n -> n.endsWith("-changelog") || n.endsWith("-repartition"))
                .allSatisfy(n -> assertThat(n).startsWith("pulse-blue-"));
        JsonNode changelog = plan.get("topics").findParents("name").stream()
                .filter(t -> t.get("name").asText().equals("pulse-blue-" + StoreNames.CUSTOMER_PROFILES + "-changelog"))
                .findFirst().orElseThrow();
        assertThat(changelog.get("kind").asText()).isEqualTo("changelog");
        assertThat(changelog.get("cleanupPolicy").asText()).isEqualTo("compact");
        assertThat(changelog.get("configs").get("message.timestamp.type").asText()).isEqualTo("CreateTime");
        List<String> groups = new ArrayList<>();
        plan.get("consumerGroups").forEach(g -> groups.add(g.get("groupId").asText()));
        assertThat(groups).containsExactly("pulse-blue", LakeSink.GROUP_ID);
    }

    @Test
    void jsonIsTheSameOnEveryRun() {
        run("topics", "--format", "json");
        String first = out.toString();
        out.getBuffer().setLength(0);

        run("topics", "--format", "json");

        assertThat(out.toString()).isEqualTo(first).isNotEmpty();
    }

    @Test
    void tableListsEveryTopicAndEndsWithTheEventHubsBudget() throws Exception {
        run("topics", "--format", "json");
        JsonNode plan = new ObjectMapper().readTree(out.toString());
        int topics = plan.get("topics").size();
        int partitions = plan.get("totals").get("partitions").asInt();
        out.getBuffer().setLength(0);

        int exit = run("topics");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .startsWith("NAME")
                .contains(topics + " event hubs, " + partitions + " partitions")
                .contains("Event Hubs Standard: does not fit")
                .contains("Event Hubs Premium: fits in 1 processing unit(s)");
        for (String name : names(plan.get("topics"))) {
            assertThat(out.toString()).contains(name + " ");
        }
    }

    @Test
    void bicepLeavesOutTheEmbeddedRegistrysTopic() {
        int exit = run("topics", "--format", "bicep");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("name: '" + TopicCatalogue.EVENTS.name() + "'")
                .doesNotContain(TopicCatalogue.SCHEMAS.name() + "'");
    }

    @Test
    void anUnknownFormatIsAUsageErrorNamingTheChoices() {
        int exit = run("topics", "--format", "yaml");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("'table', 'json' or 'bicep'");
    }

    @Test
    void createAgainstAnUnreachableClusterFailsNamingTheCluster() {
        int exit = run("topics", "create", "--timeout", "PT2S", "--set", "pulse.kafka.bootstrap-servers=localhost:1");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("localhost:1").doesNotContain("Exception in");
    }
}
