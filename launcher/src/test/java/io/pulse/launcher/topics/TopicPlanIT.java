package io.pulse.launcher.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.kafka.TopicProvisioner;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import io.pulse.launcher.PulseCommand;
import io.pulse.topology.PulseTopology;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.describe.PlannedTopic;
import io.pulse.topology.describe.PlannedTopic.Kind;
import io.pulse.topology.describe.TopicPlan;
import io.pulse.topology.runtime.InsightsStreams;
import io.pulse.topology.runtime.StreamsProperties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The topic plan against real Kafka Streams on a fresh embedded broker (auto-creation off, as on Event Hubs): the
 * internal topics Streams creates for Pulse's topology are exactly the plan's, with its partitions and configs; and
 * topics created beforehand by {@code pulse topics create} are accepted by Streams as they are.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TopicPlanIT {
    private static final Duration RUNNING_DEADLINE = Duration.ofMinutes(2);

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private EmbeddedKafkaBroker freshBroker() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir.resolve("broker")).build().start();
        started.add(broker);
        return broker;
    }

    private Map<String, String> overrides(EmbeddedKafkaBroker broker, String applicationId) {
        return Map.of(ConfigKeys.DATA_DIR, dataDir.toString(),
                ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                ConfigKeys.STREAMS_APPLICATION_ID, applicationId,
                ConfigKeys.STREAMS_STANDBY_REPLICAS, "0");
    }

    private Admin admin(PulseConfig config) {
        Admin admin = Admin.create(new KafkaClientSettings(config.kafka()).admin("topic-plan-it"));
        started.add(admin);
        return admin;
    }

    /** Starts Pulse's topology as PulsePipeline does (same topology, properties, lifecycle) and waits until RUNNING. */
    private void runStreams(PulseConfig config) {
        var serdes = new TopologySerdes(new SerdeFactory(new InMemorySchemaRegistryClient()));
        var topology = PulseTopology.build(TopologySettings.from(config.engagement()), serdes);
        InsightsStreams streams = new InsightsStreams(topology,
                StreamsProperties.of(config, new KafkaClientSettings(config.kafka()), null));
        started.add(streams);
        streams.start();
        await("Kafka Streams RUNNING").atMost(RUNNING_DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(streams.state()).isNotIn(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
                    return streams.state() == KafkaStreams.State.RUNNING;
                });
    }

    /** The broker's view of a topic: partitions and the plan's config keys, for comparing with the plan. */
    private record Actual(int partitions, Map<String, String> configs) {
    }

    private static Map<String, Actual> describe(Admin admin, TopicPlan plan, Set<String> names) throws Exception {
        var descriptions = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get(30, TimeUnit.SECONDS);
        Map<String, Actual> actual = new TreeMap<>();
        for (String name : names) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            Map<String, String> planned = new TreeMap<>();
            plan.topic(name).configs().keySet().forEach(k -> planned.put(k, config.get(k).value()));
            actual.put(name, new Actual(descriptions.get(name).partitions().size(), planned));
        }
        return actual;
    }

    private static Map<String, Actual> expected(TopicPlan plan, Set<String> names) {
        return names.stream().collect(Collectors.toMap(n -> n, n -> new Actual(plan.topic(n).partitions(), plan.topic(n).configs()),
                (a, b) -> a, TreeMap::new));
    }

    private static Set<String> internalTopicsOnBroker(Admin admin, String applicationId) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(n -> n.startsWith(applicationId + "-"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(List<PlannedTopic> topics) {
        return topics.stream().map(PlannedTopic::name).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void streamsCreatesExactlyThePlannedInternalTopicsWithThePlannedPartitionsAndConfigs() throws Exception {
        EmbeddedKafkaBroker broker = freshBroker();
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), overrides(broker, "pulse-plan-it"));
        Admin admin = admin(config);
        new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).ensure(TopicCatalogue.all());
        TopicPlan plan = PulseTopicPlan.of(config);
        Set<String> planned = names(plan.topics().stream().filter(t -> t.kind() != Kind.CATALOGUE).toList());

        runStreams(config);

        Set<String> created = internalTopicsOnBroker(admin, "pulse-plan-it");
        assertThat(created).as("internal topics Kafka Streams created").isEqualTo(planned);
        assertThat(plan.topics(Kind.CHANGELOG)).isNotEmpty();
        assertThat(plan.topics(Kind.REPARTITION)).isNotEmpty();
        assertThat(describe(admin, plan, created)).isEqualTo(expected(plan, created));
    }

    @Test
    void topicsCreateProvisionsAFreshBrokerWithThePlanAndStreamsRunsOnItUnchanged() throws Exception {
        EmbeddedKafkaBroker broker = freshBroker();
        Map<String, String> overrides = overrides(broker, "pulse-provisioned-it");
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), overrides);
        TopicPlan plan = PulseTopicPlan.of(config);
        Set<String> all = names(plan.topics());

        Run create = pulse(overrides, "topics", "create");

        assertThat(create.exit()).as(create.err()).isZero();
        assertThat(create.out()).contains(plan.topics().size() + " created, 0 already as planned, 0 different from the plan");
        Admin admin = admin(config);
        assertThat(describe(admin, plan, all)).isEqualTo(expected(plan, all));

        runStreams(config);

        assertThat(internalTopicsOnBroker(admin, "pulse-provisioned-it"))
                .as("Streams created nothing beyond the plan")
                .isEqualTo(names(plan.topics().stream().filter(t -> t.kind() != Kind.CATALOGUE).toList()));
        assertThat(describe(admin, plan, all)).isEqualTo(expected(plan, all));
        Run again = pulse(overrides, "topics", "create");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 created, " + plan.topics().size() + " already as planned, 0 different from the plan");
    }

    @Test
    void topicsCreateNamesATopicWhosePartitionsDifferAndExitsNonZeroCreatingNothingInADryRun() throws Exception {
        EmbeddedKafkaBroker broker = freshBroker();
        Map<String, String> overrides = overrides(broker, "pulse-mismatch-it");
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), overrides);
        Admin admin = admin(config);
        admin.createTopics(List.of(new NewTopic(TopicCatalogue.EVENTS.name(), Optional.of(2), Optional.empty())))
                .all().get(30, TimeUnit.SECONDS);

        Run dryRun = pulse(overrides, "topics", "create", "--dry-run");

        assertThat(dryRun.exit()).isEqualTo(1);
        assertThat(dryRun.err()).contains("MISMATCH " + TopicCatalogue.EVENTS.name() + ": 2 partitions, the plan says "
                + TopicCatalogue.EVENTS.partitions());
        assertThat(dryRun.out()).contains("would create " + TopicCatalogue.METRICS.name());
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsExactly(TopicCatalogue.EVENTS.name());
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run pulse(Map<String, String> overrides, String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        new TreeMap<>(overrides).forEach((k, v) -> argv.add("--set=" + k + "=" + v));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = PulseCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(argv.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
