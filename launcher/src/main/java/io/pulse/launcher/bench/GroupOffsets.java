package io.pulse.launcher.bench;

import io.pulse.common.topics.TopicCatalogue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples, a few times a second, the events topic's end offsets and the committed offsets of the topology's group and
 * the lake sink's group: the input to every throughput and lag figure of the bench.
 */
final class GroupOffsets implements AutoCloseable {
    /** One sample; offsets summed over the events topic's partitions. */
    record Sample(long nanos, long end, long topology, long lake) {
        long topologyLag() {
            return end - topology;
        }

        long lakeLag() {
            return end - lake;
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    private final Admin admin;
    private final String topologyGroup;
    private final String lakeGroup;
    private final List<TopicPartition> partitions = IntStream.range(0, TopicCatalogue.EVENTS.partitions())
            .mapToObj(p -> new TopicPartition(TopicCatalogue.EVENTS.name(), p)).toList();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pulse-bench-offsets");
        t.setDaemon(true);
        return t;
    });
    private volatile Sample latest;

    GroupOffsets(Admin admin, String topologyGroup, String lakeGroup) {
        this.admin = admin;
        this.topologyGroup = topologyGroup;
        this.lakeGroup = lakeGroup;
        latest = sampleNow();
        sampler.scheduleWithFixedDelay(() -> {
            try {
                latest = sampleNow();
            } catch (RuntimeException e) {
                // keep the previous sample; the next one will tell
            }
        }, 250, 250, TimeUnit.MILLISECONDS);
    }

    Sample latest() {
        return latest;
    }

    Sample sampleNow() {
        try {
            Map<TopicPartition, OffsetSpec> latestSpec = new HashMap<>();
            partitions.forEach(tp -> latestSpec.put(tp, OffsetSpec.latest()));
            long end = admin.listOffsets(latestSpec).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(i -> i.offset()).sum();
            return new Sample(System.nanoTime(), end, committed(topologyGroup), committed(lakeGroup));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read offsets of " + TopicCatalogue.EVENTS.name() + ": " + e.getMessage(), e);
        }
    }

    private long committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return partitions.stream().map(offsets::get).filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
