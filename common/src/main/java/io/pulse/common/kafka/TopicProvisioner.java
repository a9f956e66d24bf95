package io.pulse.common.kafka;

import io.pulse.common.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics that are missing and checks the ones that exist. Pulse never relies
 * on broker auto-creation (Event Hubs does not offer it for Kafka Streams' needs).
 */
public final class TopicProvisioner {
    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final short replicationFactor;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, short replicationFactor, Duration timeout) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /**
     * Creates each missing topic with its declared partitions and configuration.
     *
     * @throws IllegalStateException if an existing topic has fewer partitions than declared (keys would move)
     */
    public void ensure(Collection<Topic<?, ?>> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (Topic<?, ?> t : topics) {
                if (existing.contains(t.name())) {
                    present.add(t.name());
                } else {
                    missing.add(new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.configs()));
                }
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    log.info("Created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            if (!present.isEmpty()) {
                checkPartitions(topics, admin.describeTopics(present).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create Pulse's topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not create Pulse's topics: the broker did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    private static void checkPartitions(Collection<Topic<?, ?>> topics, Map<String, TopicDescription> described) {
        for (Topic<?, ?> t : topics) {
            TopicDescription d = described.get(t.name());
            if (d != null && d.partitions().size() < t.partitions()) {
                throw new IllegalStateException("Topic " + t.name() + " has " + d.partitions().size()
                        + " partitions but the catalogue declares " + t.partitions()
                        + ": repartitioning would move keys; create a new topic version instead");
            }
        }
    }
}
