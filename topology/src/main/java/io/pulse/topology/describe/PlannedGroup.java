package io.pulse.topology.describe;

import java.util.List;
import java.util.Objects;

/**
 * A consumer group Pulse runs and the topics it reads (for Event Hubs, consumer groups are declared per event hub).
 *
 * @param topics sorted topic names the group subscribes to
 */
public record PlannedGroup(String groupId, List<String> topics, String description) {
    public PlannedGroup {
        Objects.requireNonNull(groupId, "groupId");
        topics = topics.stream().sorted().distinct().toList();
    }
}
