package io.pulse.launcher.topics;

import io.pulse.topology.describe.PlannedTopic;
import io.pulse.topology.describe.TopicPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Provisions a {@link TopicPlan} with the admin client: creates every missing topic with the plan's partitions and
 * configs (replication: the cluster's default), and checks the existing ones, because Kafka Streams refuses to run
 * on an internal topic whose partitions or cleanup policy differ, and a catalogue topic with other partitions moves keys.
 */
public final class TopicCreator {
    /** What happened, by topic name: created (or, in a dry run, to be created), already right, or different from the plan. */
    public record Outcome(List<String> created, List<String> unchanged, List<String> mismatches) {
        public boolean ok() {
            return mismatches.isEmpty();
        }
    }

    private final Admin admin;
    private final Duration timeout;

    public TopicCreator(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public Outcome apply(TopicPlan plan, boolean dryRun) {
        try {
            Set<String> existing = get(admin.listTopics().names());
            List<PlannedTopic> missing = plan.topics().stream().filter(t -> !existing.contains(t.name())).toList();
            List<PlannedTopic> present = plan.topics().stream().filter(t -> existing.contains(t.name())).toList();
            List<String> mismatches = present.isEmpty() ? List.of() : check(present);
            if (!dryRun && !missing.isEmpty()) {
                List<NewTopic> create = missing.stream()
                        .map(t -> new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()).configs(t.configs()))
                        .toList();
                get(admin.createTopics(create).all());
            }
            List<String> unchanged = present.stream().map(PlannedTopic::name)
                    .filter(n -> mismatches.stream().noneMatch(m -> m.startsWith(n + ":"))).toList();
            return new Outcome(missing.stream().map(PlannedTopic::name).toList(), unchanged, mismatches);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not provision Pulse's topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private List<String> check(List<PlannedTopic> present) throws ExecutionException {
        Map<String, TopicDescription> described = get(admin.describeTopics(present.stream().map(PlannedTopic::name).toList()).allTopicNames());
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(present.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList()).all());
        List<String> mismatches = new ArrayList<>();
        for (PlannedTopic t : present) {
            int partitions = described.get(t.name()).partitions().size();
            if (partitions != t.partitions()) {
                mismatches.add(t.name() + ": " + partitions + " partitions, the plan says " + t.partitions());
            }
            ConfigEntry cleanup = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name())).get("cleanup.policy");
            String actual = cleanup == null ? "(unknown)" : cleanup.value();
            if (!normalised(actual).equals(normalised(t.cleanupPolicy()))) {
                mismatches.add(t.name() + ": cleanup.policy " + actual + ", the plan says " + t.cleanupPolicy());
            }
        }
        return mismatches;
    }

    /** Kafka accepts "delete,compact" and "compact,delete" alike. */
    private static String normalised(String policy) {
        return String.join(",", new TreeSet<>(List.of(policy.replace(" ", "").split(","))));
    }

    private <T> T get(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Kafka cluster did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        }
    }
}
