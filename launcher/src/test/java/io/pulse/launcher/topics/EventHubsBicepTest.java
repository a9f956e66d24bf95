package io.pulse.launcher.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.describe.PlannedGroup;
import io.pulse.topology.describe.PlannedTopic;
import io.pulse.topology.describe.PlannedTopic.Kind;
import io.pulse.topology.describe.TopicPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventHubsBicepTest {

    private static PlannedTopic topic(String name, Kind kind, String cleanup, String retentionMs) {
        Map<String, String> configs = retentionMs == null
                ? Map.of("cleanup.policy", cleanup, "message.timestamp.type", "CreateTime")
                : Map.of("cleanup.policy", cleanup, "retention.ms", retentionMs, "message.timestamp.type", "CreateTime");
        return new PlannedTopic(name, kind, 3, configs, "about " + name);
    }

    private static String render(PlannedTopic... topics) {
        return EventHubsBicep.render(new TopicPlan("app", List.of(topics), List.of()));
    }

    /** The body of the event hub resource of that name. */
    private static String hub(String bicep, String name) {
        int start = bicep.indexOf("  name: '" + name + "'");
        assertThat(start).as("event hub " + name).isPositive();
        return bicep.substring(start, bicep.indexOf("\n}\n", start));
    }

    @Test
    void compactedTopicBecomesACompactEventHubWithTombstoneRetention() {
        String hub = hub(render(topic("app-kv-changelog", Kind.CHANGELOG, "compact", null)), "app-kv-changelog");

        assertThat(hub).contains("partitionCount: 3", "cleanupPolicy: 'Compact'", "tombstoneRetentionTimeInHours: 24",
                "timestampType: 'CreateTime'").doesNotContain("retentionTimeInHours:");
    }

    @Test
    void windowedChangelogBecomesDeleteKeepingAtLeastItsRetention() {
        long ms = Duration.ofHours(72).plusMinutes(1).toMillis();
        String hub = hub(render(topic("app-w-changelog", Kind.CHANGELOG, "compact,delete", Long.toString(ms))), "app-w-changelog");

        assertThat(hub).contains("cleanupPolicy: 'Delete'", "retentionTimeInHours: 73");
    }

    @Test
    void unlimitedRepartitionRetentionIsBoundedByTheEventsTopicsRetention() {
        String hub = hub(render(topic("app-r-repartition", Kind.REPARTITION, "delete", "-1")), "app-r-repartition");

        assertThat(hub).contains("cleanupPolicy: 'Delete'",
                "retentionTimeInHours: " + TopicCatalogue.EVENTS.retention().toHours());
    }

    @Test
    void retentionBeyondNinetyDaysIsRefusedNamingTheTopic() {
        String tooLong = Long.toString(Duration.ofDays(91).toMillis());

        assertThatThrownBy(() -> render(topic("pulse.archive.v1", Kind.CATALOGUE, "delete", tooLong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pulse.archive.v1").hasMessageContaining("2160");
    }

    @Test
    void unlimitedRetentionOnACatalogueTopicIsRefused() {
        assertThatThrownBy(() -> render(topic("pulse.forever.v1", Kind.CATALOGUE, "delete", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pulse.forever.v1");
    }

    @Test
    void namesEventHubsRejectAreRefusedNamingTheTopic() {
        for (String bad : List.of("_pulse-schemas", "pulse.events.", "pulse events", "x".repeat(257))) {
            assertThatThrownBy(() -> render(topic(bad, Kind.CATALOGUE, "compact", null)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a valid event hub name");
        }
    }

    @Test
    void theLocalPlanCannotBeProvisionedBecauseOfTheEmbeddedRegistrysTopic() {
        TopicPlan local = PulseTopicPlan.of(PulseConfig.load(Map.of(), Map.of(), Map.of()));

        assertThatThrownBy(() -> EventHubsBicep.render(local)).hasMessageContaining(TopicCatalogue.SCHEMAS.name());
    }

    @Test
    void consumerGroupsAreDeclaredUnderEachEventHubTheyRead() {
        PlannedTopic a = topic("a.v1", Kind.CATALOGUE, "delete", "3600000");
        PlannedTopic b = topic("b.v1", Kind.CATALOGUE, "delete", "3600000");
        String bicep = EventHubsBicep.render(new TopicPlan("app", List.of(a, b),
                List.of(new PlannedGroup("readers", List.of("b.v1"), "read b"))));

        assertThat(bicep).contains("resource cg_readers_b_v1 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-05-01-preview' = {\n"
                + "  parent: hub_b_v1\n  name: 'readers'\n}");
        assertThat(bicep).doesNotContain("parent: hub_a_v1\n  name: 'readers'");
    }

    @Test
    void aGroupNameEventHubsRejectsIsRefused() {
        PlannedTopic a = topic("a.v1", Kind.CATALOGUE, "delete", "3600000");

        assertThatThrownBy(() -> EventHubsBicep.render(new TopicPlan("app", List.of(a),
                List.of(new PlannedGroup("g".repeat(51), List.of("a.v1"), "too long")))))
                .hasMessageContaining("not a valid consumer group name");
    }

    @Test
    void moduleDeclaresTheContractsParameterExistingNamespaceAndOutput() {
        String bicep = render(topic("a.v1", Kind.CATALOGUE, "delete", "3600000"));

        assertThat(bicep)
                .startsWith("// Generated by ./pulse topics --format bicep; do not edit — a test compares it with the code.\n")
                .contains("param namespaceName string\n")
                .contains("resource namespace 'Microsoft.EventHub/namespaces@2024-05-01-preview' existing = {\n  name: namespaceName\n}")
                .contains("resource hub_a_v1 'Microsoft.EventHub/namespaces/eventhubs@2024-05-01-preview' = {\n  parent: namespace\n")
                .endsWith("output eventHubNames array = [\n  'a.v1'\n]\n");
    }
}
