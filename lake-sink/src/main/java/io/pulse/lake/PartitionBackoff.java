package io.pulse.lake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Holds back a partition whose next record could not be read for a passing reason: rewinds it to that
 * record and pauses it for a growing delay (capped), while the other partitions carry on.
 */
final class PartitionBackoff {
    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final Clock clock;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private final Map<TopicPartition, Integer> attempts = new HashMap<>();

    PartitionBackoff(Clock clock) {
        this.clock = clock;
    }

    void holdBack(Consumer<?, ?> consumer, TopicPartition partition, long offset) {
        consumer.seek(partition, offset);
        consumer.pause(List.of(partition));
        int attempt = attempts.merge(partition, 1, Integer::sum);
        pausedUntil.put(partition, clock.instant().plus(delay(attempt)));
    }

    /** The partition read a record: its next failure starts from the first delay again. */
    void succeeded(TopicPartition partition) {
        attempts.remove(partition);
    }

    void resumeDue(Consumer<?, ?> consumer) {
        Instant now = clock.instant();
        List<TopicPartition> due = pausedUntil.entrySet().stream()
                .filter(e -> !now.isBefore(e.getValue())).map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            due.forEach(pausedUntil::remove);
            consumer.resume(due);
        }
    }

    /** The partitions left this consumer; a new assignment starts unpaused. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            pausedUntil.remove(tp);
            attempts.remove(tp);
        });
    }

    static Duration delay(int attempt) {
        long millis = FIRST_DELAY.toMillis() << Math.min(attempt - 1, 16);
        return millis >= MAX_DELAY.toMillis() ? MAX_DELAY : Duration.ofMillis(millis);
    }
}
