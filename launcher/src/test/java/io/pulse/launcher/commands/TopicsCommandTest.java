package io.pulse.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.LakeSink;
import io.pulse.launcher.CommandLineRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicsCommandTest {
    private final CommandLineRun cli = new CommandLineRun();

    private static List<String> names(JsonNode topics) {
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    @Test
    void jsonNamesInternalTopicsAfterTheConfiguredApplicationId() throws Exception {
        int exit = cli.run("topics", "--format", "json", "--set", "pulse.streams.application-id=pulse-blue");

        assertThat(exit).as(cli.err()).isZero();
        JsonNode plan = new ObjectMapper().readTree(cli.out());
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
        cli.run("topics", "--format", "json");
        String first = cli.out();
        cli.clearOut();

        cli.run("topics", "--format", "json");

        assertThat(cli.out()).isEqualTo(first).isNotEmpty();
    }

    @Test
    void tableListsEveryTopicAndEndsWithTheEventHubsBudget() throws Exception {
        cli.run("topics", "--format", "json");
        JsonNode plan = new ObjectMapper().readTree(cli.out());
        int topics = plan.get("topics").size();
        int partitions = plan.get("totals").get("partitions").asInt();
        cli.clearOut();

        int exit = cli.run("topics");

        assertThat(exit).isZero();
        assertThat(cli.out())
                .startsWith("NAME")
                .contains(topics + " event hubs, " + partitions + " partitions")
                .contains("Event Hubs Standard: does not fit")
                .contains("Event Hubs Premium: fits in 1 processing unit(s)");
        for (String name : names(plan.get("topics"))) {
            assertThat(cli.out()).contains(name + " ");
        }
    }

    @Test
    void bicepLeavesOutTheEmbeddedRegistrysTopic() {
        int exit = cli.run("topics", "--format", "bicep");

        assertThat(exit).as(cli.err()).isZero();
        assertThat(cli.out()).contains("name: '" + TopicCatalogue.EVENTS.name() + "'")
                .doesNotContain(TopicCatalogue.SCHEMAS.name() + "'");
    }

    @Test
    void anUnknownFormatIsAUsageErrorNamingTheChoices() {
        int exit = cli.run("topics", "--format", "yaml");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(cli.err()).contains("'table', 'json' or 'bicep'");
    }

    @Test
    void createAgainstAnUnreachableClusterFailsNamingTheCluster() {
        int exit = cli.run("topics", "create", "--timeout", "PT2S", "--set", "pulse.kafka.bootstrap-servers=localhost:1");

        assertThat(exit).isEqualTo(1);
        assertThat(cli.err()).contains("localhost:1").doesNotContain("Exception in");
    }
}
